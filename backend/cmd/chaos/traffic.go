package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// traffic is one practice's Zaps at work: advocates join, friends claim, friends pay, some
// payments arrive twice, some are refunded, some rewards are redeemed. Every step is sent
// until acknowledged, and what is acknowledged goes in the ledger to be looked for later.
type traffic struct {
	c      *harness.Client
	p      harness.Practice
	ledger *harness.Ledger
	t      *harness.Tally
	run    string // keeps this traffic's emails and invoices apart from any other's
	lag    time.Duration
	next   atomic.Int64

	mu        sync.Mutex
	advocates []string
	latencies []time.Duration // of acknowledged steps, attempts and waits included
}

// unread is what traffic sends in fields the API does not read (a phone number, line items):
// it must never be stored.
const unread = "555-0100 botox 20 units"

// maxAdvocates stays under the free plan's 100 active advocates.
const maxAdvocates = 60

func newTraffic(c *harness.Client, p harness.Practice, l *harness.Ledger, t *harness.Tally) *traffic {
	return &traffic{c: c, p: p, ledger: l, t: t, run: harness.NewKey()[6:14]}
}

// chain is one friend's story, stopped at the first step that is not acknowledged.
func (tr *traffic) chain(ctx context.Context) {
	n := tr.next.Add(1)
	advocate, ok := tr.advocate(ctx, n)
	if !ok {
		return
	}
	var ref struct {
		ID string `json:"id"`
	}
	friend := fmt.Sprintf("friend-%s-%d@chaos.example", tr.run, n)
	if !tr.step(ctx, "a referral", "/v1/referrals", map[string]any{"advocate_id": advocate,
		"friend_name": fmt.Sprintf("Friend %d", n), "friend_email": friend, "source": "api"}, &ref) {
		return
	}
	tr.ledger.Keep(harness.KeptReferral, ref.ID)

	invoice, payment := fmt.Sprintf("INV-%s-%d", tr.run, n), fmt.Sprintf("PAY-%d", n)
	pay := map[string]any{"invoice_id": invoice, "payment_id": payment, "email": friend,
		"name": fmt.Sprintf("Friend %d", n), "amount": "120.00", "currency": "USD", "status": "paid",
		"line_items": []string{unread}}
	var got conversionResult
	if !tr.step(ctx, "a payment", "/v1/conversions", pay, &got) {
		return
	}
	tr.keepPayment(invoice, payment, got)
	if got.Outcome != "converted" || got.Conversion == nil {
		tr.t.Fail("a referred friend's first payment answered %q, not converted", got.Outcome)
		return
	}
	if rand.IntN(5) == 0 {
		// The same payment again, as AR's trigger or a user's "retest" sends it: a new key.
		var again conversionResult
		if !tr.step(ctx, "a payment replay", "/v1/conversions", pay, &again) {
			return
		}
		tr.keepPayment(invoice, payment, again)
		if again.Conversion == nil || again.Conversion.ID != got.Conversion.ID {
			tr.t.Fail("a replayed payment did not answer its first conversion")
		}
	}
	if code := got.Conversion.Reward.Code; code != nil && rand.IntN(6) == 0 {
		if tr.step(ctx, "a redemption", "/v1/rewards/"+*code+"/redeem", nil, nil) {
			tr.ledger.Keep(harness.KeptRedemption, *code)
		}
	}
	if rand.IntN(6) == 0 {
		refund := fmt.Sprintf("RF-%d", n)
		if tr.step(ctx, "a refund", "/v1/conversions/reverse", map[string]any{"invoice_id": invoice, "refund_id": refund}, nil) {
			tr.ledger.Keep(harness.KeptRefund, tr.p.ID, invoice, refund)
		}
	}
}

// conversionResult is what Record Conversion answers, as far as chaos reads it.
type conversionResult struct {
	Outcome    string `json:"outcome"`
	Replayed   bool   `json:"replayed"`
	Conversion *struct {
		ID     string `json:"id"`
		Reward struct {
			Code *string `json:"code"`
		} `json:"reward"`
	} `json:"conversion"`
}

func (tr *traffic) keepPayment(invoice, payment string, got conversionResult) {
	tr.ledger.Keep(harness.KeptPayment, tr.p.ID, invoice, payment)
	if got.Conversion != nil {
		tr.ledger.Keep(harness.KeptConversion, got.Conversion.ID)
	}
}

// advocate makes a new advocate while there are few, else picks one of those made.
func (tr *traffic) advocate(ctx context.Context, n int64) (string, bool) {
	tr.mu.Lock()
	if len(tr.advocates) >= maxAdvocates || len(tr.advocates) > 0 && rand.IntN(3) > 0 {
		id := tr.advocates[rand.IntN(len(tr.advocates))]
		tr.mu.Unlock()
		return id, true
	}
	tr.mu.Unlock()
	var a struct {
		ID string `json:"id"`
	}
	if !tr.step(ctx, "an advocate", "/v1/advocates", map[string]any{"name": fmt.Sprintf("Advocate %d", n),
		"email": fmt.Sprintf("adv-%s-%d@chaos.example", tr.run, n), "phone": unread}, &a) {
		return "", false
	}
	tr.ledger.Keep(harness.KeptAdvocate, a.ID)
	tr.mu.Lock()
	tr.advocates = append(tr.advocates, a.ID)
	tr.mu.Unlock()
	return a.ID, true
}

// step sends one POST until acknowledged and reads its answer into out. A valid request that
// is refused, or never acknowledged, fails a check: a Zap would have lost it.
func (tr *traffic) step(ctx context.Context, what, path string, body any, out any) bool {
	start := time.Now()
	var a *harness.Answer
	if body == nil {
		a = tr.c.Send(ctx, harness.Request{Method: http.MethodPost, Path: path, Lag: tr.lag})
	} else {
		a = tr.c.Send(ctx, harness.Request{Method: http.MethodPost, Path: path, Body: mustJSON(body), Lag: tr.lag})
	}
	switch {
	case ctx.Err() != nil:
		return false
	case a.OK():
		tr.mu.Lock()
		tr.latencies = append(tr.latencies, time.Since(start))
		tr.mu.Unlock()
		if out != nil {
			if err := a.Decode(out); err != nil {
				tr.t.Fail("the answer to %s is not its JSON: %v", what, err)
				return false
			}
		}
		return true
	case a.Unacknowledged():
		tr.t.Fail("%s was never acknowledged within a Zap's patience (last answer: %s)", what, a)
	default:
		tr.t.Fail("%s was refused with %s although valid: a Zap does not retry that", what, a)
	}
	return false
}

// takeLatencies returns the latencies of the steps acknowledged so far and starts afresh.
func (tr *traffic) takeLatencies() []time.Duration {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	l := tr.latencies
	tr.latencies = nil
	return l
}

// percentile is the p-th percentile (0–100) of latencies, or 0 without any.
func percentile(latencies []time.Duration, p int) time.Duration {
	if len(latencies) == 0 {
		return 0
	}
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// drive runs workers that each tell one friend's story after another, over the traffics in
// turn, until stop is called; stop waits for the stories under way to end.
func drive(ctx context.Context, workers int, traffics ...*traffic) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := range workers {
		tr := traffics[i%len(traffics)]
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				case <-ctx.Done():
					return
				default:
				}
				tr.chain(ctx)
			}
		})
	}
	return func() {
		close(done)
		wg.Wait()
	}
}
