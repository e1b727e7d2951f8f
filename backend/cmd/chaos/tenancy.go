package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// holdings are one practice's things, as the other practice will try to reach them.
type holdings struct {
	p         harness.Practice
	c         *harness.Client
	advocates []string
	codes     []string // advocates' referral codes
	emails    []string // advocates' and friends' emails
	referrals []string
	pending   string // a referral not converted, with a near-miss beside it
	friend    string // the pending referral's friend's email
	invoices  []string
	rewards   []string // reward codes
	hooks     []string
	nearMiss  string
	secrets   []string // every id, code and email above, to look for in the other's answers
}

// twoPractices has two practices try each other's ids on every endpoint, at random, while
// comparing each answer with the answer to an id that does not exist: a foreign id must
// answer exactly like a missing one, no list may show the other's data, and none of the
// other's rows may change.
func twoPractices(ctx context.Context, e *env, t *harness.Tally) error {
	s, err := e.stack(ctx, t, options{practices: 2})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	hook, err := harness.NewReceiver("tenancy", s.practices[0].WebhookSecret, harness.Healthy)
	if err != nil {
		return err
	}
	defer hook.Close()
	var sides [2]*holdings
	for i := range sides {
		if sides[i], err = seed(ctx, s, i, hook.URL); err != nil {
			return err
		}
		defer sides[i].c.Close()
	}
	before, err := snapshot(ctx, s.db)
	if err != nil {
		return err
	}
	rounds := e.size(150, 1000)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for r := w; r < rounds && ctx.Err() == nil; r += 4 {
				from := rand.IntN(2)
				probeForeign(ctx, s, t, sides[from], sides[1-from])
				if r%25 == 0 {
					scanLists(ctx, t, sides[from], sides[1-from])
				}
			}
		})
	}
	wg.Wait()
	for from := range sides {
		scanLists(ctx, t, sides[from], sides[1-from])
	}
	after, err := snapshot(ctx, s.db)
	if err != nil {
		return err
	}
	if before != after {
		t.CrossTenant("rows changed while the practices only tried each other's ids")
	}
	return nil
}

// seed gives practice i advocates, referrals, two conversions (one reward redeemed), a
// pending referral with a near-miss, a hook and its events.
func seed(ctx context.Context, s *stack, i int, hookURL string) (*holdings, error) {
	h := &holdings{p: s.practices[i], c: s.client(i)}
	run := harness.NewKey()[6:12]
	post := func(path string, body any, out any) error {
		a := h.c.PostJSON(ctx, path, body)
		if !a.OK() {
			return fmt.Errorf("chaos: seeding %s answered %s: %s", path, a, a.Body)
		}
		return a.Decode(out)
	}
	var hk struct{ ID string }
	if err := post("/v1/hooks", map[string]string{"event": "conversion.recorded", "target_url": hookURL}, &hk); err != nil {
		return nil, err
	}
	h.hooks = append(h.hooks, hk.ID)
	for n := range 3 {
		var adv struct {
			ID   string `json:"id"`
			Code string `json:"referral_code"`
		}
		email := fmt.Sprintf("tenant%d-%s-a%d@chaos.example", i, run, n)
		if err := post("/v1/advocates", map[string]string{"name": fmt.Sprintf("Tenant%d Advocate%d", i, n), "email": email}, &adv); err != nil {
			return nil, err
		}
		h.advocates, h.codes, h.emails = append(h.advocates, adv.ID), append(h.codes, adv.Code), append(h.emails, email)
		var ref struct{ ID string }
		friend := fmt.Sprintf("tenant%d-%s-f%d@chaos.example", i, run, n)
		if err := post("/v1/referrals", map[string]string{"advocate_id": adv.ID, "friend_name": fmt.Sprintf("Zed%d Quill%d", i, n),
			"friend_email": friend}, &ref); err != nil {
			return nil, err
		}
		h.referrals, h.emails = append(h.referrals, ref.ID), append(h.emails, friend)
		if n == 2 {
			h.pending, h.friend = ref.ID, friend
			// The friend pays under another email: a near-miss for the front desk.
			var got conversionResult
			if err := post("/v1/conversions", map[string]string{"invoice_id": fmt.Sprintf("NM-%s-%d", run, i),
				"email": fmt.Sprintf("other%d-%s@chaos.example", i, run), "name": fmt.Sprintf("Zed%d Quill%d", i, n), "amount": "80.00"}, &got); err != nil {
				return nil, err
			}
			continue
		}
		invoice := fmt.Sprintf("TEN-%s-%d", run, n)
		var got conversionResult
		if err := post("/v1/conversions", map[string]string{"invoice_id": invoice, "email": friend, "amount": "150.00"}, &got); err != nil {
			return nil, err
		}
		if got.Conversion == nil || got.Conversion.Reward.Code == nil {
			return nil, fmt.Errorf("chaos: seeding a conversion answered %q", got.Outcome)
		}
		h.invoices, h.rewards = append(h.invoices, invoice), append(h.rewards, *got.Conversion.Reward.Code)
		if n == 1 {
			if err := post("/v1/rewards/"+*got.Conversion.Reward.Code+"/redeem", nil, &struct{}{}); err != nil {
				return nil, err
			}
		}
	}
	var misses struct {
		Data []struct{ ID string } `json:"data"`
	}
	if a := h.c.Get(ctx, "/v1/near-misses"); !a.OK() || a.Decode(&misses) != nil || len(misses.Data) == 0 {
		return nil, fmt.Errorf("chaos: seeding found no near-miss: %s", a)
	}
	h.nearMiss = misses.Data[0].ID
	for _, group := range [][]string{h.advocates, h.codes, h.emails, h.referrals, h.invoices, h.rewards, h.hooks, {h.nearMiss}} {
		h.secrets = append(h.secrets, group...)
	}
	return h, nil
}

// probeForeign tries one way at random with the other practice's value and a made-up one.
func probeForeign(ctx context.Context, s *stack, t *harness.Tally, mine, theirs *holdings) {
	if rand.IntN(len(foreignWays)+1) == 0 {
		probeWebhook(ctx, s, t, mine, theirs)
		return
	}
	way := foreignWays[rand.IntN(len(foreignWays))]
	value := way.theirs(theirs)
	got := way.send(ctx, mine.c, value)
	want := way.send(ctx, mine.c, way.madeUp())
	if got.Unacknowledged() || want.Unacknowledged() {
		t.Fail("%s: no answer to compare (%s, %s)", way.what, got, want)
		return
	}
	leaked(t, way.what, got, theirs, value)
	switch way.compare {
	case "empty":
		var page struct {
			Data []any `json:"data"`
		}
		if got.OK() && got.Decode(&page) == nil && len(page.Data) > 0 {
			t.CrossTenant("%s with another practice's value listed %d of its items", way.what, len(page.Data))
		}
	case "outcome":
		var g, w struct {
			Outcome string `json:"outcome"`
		}
		_, _ = got.Decode(&g), want.Decode(&w)
		if g.Outcome != w.Outcome {
			t.CrossTenant("%s with another practice's value answered %q, with a stranger's %q", way.what, g.Outcome, w.Outcome)
		}
	}
	switch {
	case got.OK() && !want.OK():
		t.CrossTenant("%s answered %s for another practice's value, %s for a missing one", way.what, got, want)
	case got.String() != want.String():
		t.Fail("%s answered %s for another practice's value, %s for a missing one", way.what, got, want)
	}
}

// probeWebhook signs a payment with the other practice's secret and sends it to this
// practice's webhook address: it must be refused like a wrong secret.
func probeWebhook(ctx context.Context, s *stack, t *harness.Tally, mine, theirs *holdings) {
	path := s.webhookPath(ctx, mine.p.ID, "payments")
	if path == "/v1/webhooks/payments" {
		return // the signature alone names the practice there: nothing to cross
	}
	body := mustJSON(map[string]string{"invoice_number": "W-" + harness.NewKey()[6:18], "Email": theirs.friend, "total": "90.00"})
	got := mine.c.WithKey("").Send(ctx, signed(path, theirs.p.WebhookSecret, body))
	want := mine.c.WithKey("").Send(ctx, signed(path, "whsec_"+"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwMTI=", body))
	leaked(t, "a webhook signed by another practice", got, theirs, "")
	if got.OK() {
		t.CrossTenant("a webhook signed with another practice's secret was taken: %s", got)
	} else if got.String() != want.String() {
		t.Fail("a webhook signed by another practice answered %s, one with a wrong secret %s", got, want)
	}
}

// leaked looks in an answer for any of the other practice's ids, codes and emails except the
// one the request itself carried.
func leaked(t *harness.Tally, what string, a *harness.Answer, theirs *holdings, sent string) {
	for _, secret := range theirs.secrets {
		if secret != sent && bytes.Contains(a.Body, []byte(secret)) {
			t.CrossTenant("%s: the answer holds another practice's %q", what, secret)
			return
		}
	}
}

// scanLists reads every list of a practice and looks for the other's data in it.
func scanLists(ctx context.Context, t *harness.Tally, mine, theirs *holdings) {
	for _, path := range []string{"/v1/advocates", "/v1/referrals", "/v1/conversions", "/v1/rewards",
		"/v1/events", "/v1/hooks", "/v1/near-misses", "/v1/webhook-receipts"} {
		a := mine.c.Get(ctx, path+"?limit=100")
		if !a.OK() {
			t.Fail("GET %s answered %s", path, a)
			continue
		}
		leaked(t, "GET "+path, a, theirs, "")
	}
}

// snapshot is every row the two practices own that a request could change, as one string.
func snapshot(ctx context.Context, db *sql.DB) (string, error) {
	var out strings.Builder
	for _, q := range []string{
		"SELECT id || name || status FROM advocates ORDER BY id",
		"SELECT id || status FROM referrals ORDER BY id",
		"SELECT id || status FROM conversions ORDER BY id",
		"SELECT id || status FROM rewards ORDER BY id",
		"SELECT id FROM hooks ORDER BY id",
		"SELECT id FROM near_misses ORDER BY id",
	} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return "", err
			}
			out.WriteString(v + "\n")
		}
		rows.Close()
	}
	return out.String(), nil
}
