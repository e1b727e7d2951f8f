package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// twoServers runs two servers on one database, as a deploy with two instances does, and
// races them: each friend's payment reaches both at the same moment (two Zaps, two keys)
// together with a second invoice of the same friend, and some refunds reach both at once.
// No reward may be doubled, both servers must name the same conversion, and a receiver that
// always answers at once must get each event once: the servers share the delivery queue.
func twoServers(ctx context.Context, e *env, t *harness.Tally) error {
	s, err := e.stack(ctx, t, options{servers: 2})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	p := s.practices[0]
	rcv, err := harness.NewReceiver("healthy", p.WebhookSecret, harness.Healthy)
	if err != nil {
		return err
	}
	defer rcv.Close()
	one := s.client(0)
	two := one.To(s.servers[1].URL())
	defer one.Close()
	subscribed := []string{"referral.created", "conversion.recorded", "conversion.reversed"}
	for _, event := range subscribed {
		if a := one.PostJSON(ctx, "/v1/hooks", map[string]string{"event": event, "target_url": rcv.URL}); !a.OK() {
			return fmt.Errorf("chaos: subscribing a hook answered %s", a)
		}
	}

	friends := e.size(20, 200)
	run := harness.NewKey()[6:12]
	var advocates []string
	for i := range max(friends/5, 1) {
		var adv struct{ ID string }
		a := one.PostJSON(ctx, "/v1/advocates", map[string]string{"name": fmt.Sprintf("Racer %d", i),
			"email": fmt.Sprintf("racer-%s-%d@chaos.example", run, i)})
		if !a.OK() || a.Decode(&adv) != nil {
			return fmt.Errorf("chaos: seeding an advocate answered %s", a)
		}
		s.ledger.Keep(harness.KeptAdvocate, adv.ID)
		advocates = append(advocates, adv.ID)
	}
	parallel(ctx, 8, friends, func(i int) {
		race(ctx, s, t, one, two, advocates[i%len(advocates)], fmt.Sprintf("%s-%d", run, i), i%3 == 0)
	})

	events, err := eventsOf(ctx, s.db, p.ID, subscribed...)
	if err != nil {
		return err
	}
	until := time.Now().Add(e.span(20*time.Second, 60*time.Second))
	for time.Now().Before(until) && ctx.Err() == nil && len(rcv.Acked()) < len(events) {
		sleep(ctx, 300*time.Millisecond)
	}
	acked, twice := rcv.Acked(), 0
	if missing := len(events) - len(acked); missing > 0 {
		t.Fail("%d of %d events never reached the receiver", missing, len(events))
	}
	for _, n := range rcv.Seen() {
		if n > 1 {
			twice++
		}
	}
	if twice > 0 {
		t.Fail("%d events reached a receiver that always answered at once more than once: two servers made the same delivery", twice)
	}
	t.Note("%d events delivered by two servers sharing the queue", len(acked))
	return nil
}

// race sends one friend's claim through the first server, then the payment to both servers
// at once with a second invoice beside it, and, when refund is set, the refund to both.
func race(ctx context.Context, s *stack, t *harness.Tally, one, two *harness.Client, advocate, n string, refund bool) {
	friend := "racer-friend-" + n + "@chaos.example"
	var ref struct{ ID string }
	a := one.PostJSON(ctx, "/v1/referrals", map[string]string{"advocate_id": advocate, "friend_name": "Racing Friend " + n, "friend_email": friend})
	if !a.OK() || a.Decode(&ref) != nil {
		t.Fail("a referral through the first server answered %s", a)
		return
	}
	s.ledger.Keep(harness.KeptReferral, ref.ID)
	pay := func(invoice string) map[string]string {
		return map[string]string{"invoice_id": invoice, "payment_id": "P1", "email": friend, "amount": "150.00"}
	}
	invoice, other := "RACE-"+n, "RACE-"+n+"-B"
	answers := make([]conversionResult, 3)
	acked := make([]bool, 3)
	var wg sync.WaitGroup
	for i, send := range []func() *harness.Answer{
		func() *harness.Answer { return one.PostJSON(ctx, "/v1/conversions", pay(invoice)) },
		func() *harness.Answer { return two.PostJSON(ctx, "/v1/conversions", pay(invoice)) },
		func() *harness.Answer { return two.PostJSON(ctx, "/v1/conversions", pay(other)) },
	} {
		wg.Go(func() {
			a := send()
			acked[i] = a.OK() && a.Decode(&answers[i]) == nil
			if !acked[i] {
				t.Fail("a racing payment was not acknowledged: %s", a)
			}
		})
	}
	wg.Wait()
	for i, inv := range []string{invoice, invoice, other} {
		if acked[i] {
			s.ledger.Keep(harness.KeptPayment, s.practices[0].ID, inv, "P1")
			if answers[i].Conversion != nil {
				s.ledger.Keep(harness.KeptConversion, answers[i].Conversion.ID)
			}
		}
	}
	if acked[0] && acked[1] && (answers[0].Conversion == nil) != (answers[1].Conversion == nil) ||
		answers[0].Conversion != nil && answers[1].Conversion != nil && answers[0].Conversion.ID != answers[1].Conversion.ID {
		t.Fail("two servers answered one payment with different conversions")
	}
	if !refund {
		return
	}
	var wr sync.WaitGroup
	for _, c := range []*harness.Client{one, two} {
		wr.Go(func() {
			if a := c.PostJSON(ctx, "/v1/conversions/reverse", map[string]string{"invoice_id": invoice, "refund_id": "R1"}); a.OK() {
				s.ledger.Keep(harness.KeptRefund, s.practices[0].ID, invoice, "R1")
			} else {
				t.Fail("a racing refund was not acknowledged: %s", a)
			}
		})
	}
	wr.Wait()
}
