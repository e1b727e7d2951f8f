package referral_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// The dashboard's one search box: part of a name or email, whatever the case, or a code whole;
// never another practice's people.
func TestSearchFindsPeopleByPartOfNameEmailOrCode(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p, other := mustPractice(t, s), mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Adams", "jane.adams@patients.example")
	bob := mustAdvocate(t, s, p, "Bob Stone", "bob_stone@patients.example")
	mustAdvocate(t, s, other, "Jane Other", "jane.other@patients.example")
	mustReferral(t, s, p, jane, "Fran Fischer", "fran@friends.example")
	mustReferral(t, s, p, bob, "Gus Green", "gus@friends.example")
	reward := mustConvert(t, s, p, pay("INV-1", "fran@friends.example")).Reward

	names := func(list []referral.Advocate) (out []string) {
		for _, a := range list {
			out = append(out, a.Name)
		}
		return out
	}
	for q, want := range map[string]string{"ADAMS": "Jane Adams", "jane.ad": "Jane Adams", strings.ToLower(jane.Code): "Jane Adams",
		"b_s": "Bob Stone", "e_a": "", "%": "", jane.Code[:4]: ""} {
		got := strings.Join(names(mustAdvocates(t, s, p, referral.AdvocateFilter{Search: q})), ",")
		if got != want {
			t.Errorf("advocates %q = %q, want %q", q, got, want)
		}
	}
	friends := func(q string) (out []string) {
		for _, r := range mustReferrals(t, s, p, referral.ReferralFilter{Search: q}) {
			out = append(out, r.FriendName)
		}
		return out
	}
	for q, want := range map[string]string{"fischer": "Fran Fischer", "gus@": "Gus Green", "stone": "Gus Green",
		jane.Code: "Fran Fischer", "jane.adams@": "Fran Fischer"} {
		if got := strings.Join(friends(q), ","); got != want {
			t.Errorf("referrals %q = %q, want %q", q, got, want)
		}
	}
	for _, q := range []string{reward.Code, strings.ToLower(reward.Code), "adams", "Jane.Adams@"} {
		if got := mustRewards(t, s, p, referral.RewardFilter{Search: q}); len(got) != 1 || got[0].Code != reward.Code {
			t.Errorf("rewards %q = %+v, want %s", q, got, reward.Code)
		}
	}
	if got := mustRewards(t, s, p, referral.RewardFilter{Search: "stone"}); len(got) != 0 {
		t.Errorf("rewards of Bob, who has none: %+v", got)
	}
	if got := mustAdvocates(t, s, other, referral.AdvocateFilter{Search: "adams"}); len(got) != 0 {
		t.Errorf("another practice's search found %+v", got)
	}
	_, _, err := s.Advocates(context.Background(), p, referral.AdvocateFilter{Search: strings.Repeat("x", 201)}, referral.Page{})
	wantError(t, err, referral.EInvalid, "q")
}

// Only active advocates hold a place on the plan.
func TestPlanUsageCountsActiveAdvocates(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	ctx := context.Background()
	a := mustAdvocate(t, s, p, "Jane Adams", "jane@patients.example")
	mustAdvocate(t, s, p, "Bob Stone", "bob@patients.example")
	off := referral.Disabled
	if _, err := s.UpdateAdvocate(ctx, p, a.ID, referral.AdvocateChange{Status: &off}); err != nil {
		t.Fatal(err)
	}
	u, err := s.PlanUsage(ctx, p)
	if err != nil || u != (referral.PlanUsage{Active: 1, Limit: referral.FreeAdvocateLimit}) || u.Full() || u.Filling() {
		t.Fatalf("PlanUsage = %+v, %v", u, err)
	}
	for _, c := range []struct {
		active        int
		filling, full bool
	}{{79, false, false}, {80, true, false}, {99, true, false}, {100, false, true}} {
		u := referral.PlanUsage{Active: c.active, Limit: 100}
		if u.Filling() != c.filling || u.Full() != c.full {
			t.Errorf("%d of 100: filling %v full %v", c.active, u.Filling(), u.Full())
		}
	}
}

// Settling a clawback is the practice's own bookkeeping: it is stored, stops the reward being
// owed, raises no event, and happens once.
func TestSettleClawback(t *testing.T) {
	t.Parallel()
	s, clk := mustService(t)
	p := mustPractice(t, s)
	ctx := context.Background()
	jane := mustAdvocate(t, s, p, "Jane Adams", "jane@patients.example")
	mustReferral(t, s, p, jane, "Fran Fischer", "fran@friends.example")
	mustReferral(t, s, p, jane, "Gus Green", "gus@friends.example")
	spent := mustConvert(t, s, p, pay("INV-1", "fran@friends.example")).Reward
	unspent := mustConvert(t, s, p, pay("INV-2", "gus@friends.example")).Reward
	if _, err := s.RedeemReward(ctx, p, spent.Code); err != nil {
		t.Fatal(err)
	}
	mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1"})
	mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-2"}) // voided: never owed
	events := len(mustEvents(t, s, p, ""))

	_, err := s.SettleClawback(ctx, p, unspent.Code)
	wantError(t, err, referral.EInvalid)
	_, err = s.SettleClawback(ctx, mustPractice(t, s), spent.Code)
	wantError(t, err, referral.ENotFound)

	clk.Add(time.Hour)
	settled, err := s.SettleClawback(ctx, p, strings.ToLower(spent.Code))
	if err != nil || settled.ClawbackOwed || settled.ClawbackSettledAt == nil || !settled.ClawbackSettledAt.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("SettleClawback = %+v, %v", settled, err)
	}
	if owed := mustRewards(t, s, p, referral.RewardFilter{ClawbackOwed: true}); len(owed) != 0 {
		t.Fatalf("still owed: %+v", owed)
	}
	stored := mustRewards(t, s, p, referral.RewardFilter{Code: spent.Code})[0]
	if stored.ClawbackOwed || stored.ClawbackSettledAt == nil || stored.Status != referral.Redeemed {
		t.Fatalf("stored reward %+v", stored)
	}
	clk.Add(time.Hour)
	again, err := s.SettleClawback(ctx, p, spent.Code)
	if err != nil || !again.ClawbackSettledAt.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("settling again = %+v, %v; want the first time kept", again, err)
	}
	if n := len(mustEvents(t, s, p, "")); n != events {
		t.Fatalf("%d events after settling, want %d", n, events)
	}
}

// Staff email an advocate the link to their own page; a disabled advocate's link works not,
// and an address that had its emails for the hour is told so rather than silently skipped.
func TestSendAdvocateLink(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	ctx := context.Background()
	a := mustAdvocate(t, s, p, "Jane Adams", "jane@patients.example")
	for range referral.MessagesPerHour - 1 { // the welcome was the first
		if _, err := s.SendAdvocateLink(ctx, p, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.SendAdvocateLink(ctx, p, a.ID)
	wantError(t, err, referral.EInvalid)
	msgs, _, err := s.Messages(ctx, p, referral.MessageFilter{}, referral.Page{})
	if err != nil || len(msgs) != referral.MessagesPerHour || msgs[0].Kind != referral.SignInEmail || msgs[0].To != a.Email {
		t.Fatalf("messages %+v, %v", msgs, err)
	}
	_, err = s.SendAdvocateLink(ctx, mustPractice(t, s), a.ID)
	wantError(t, err, referral.ENotFound)
	off := referral.Disabled
	b := mustAdvocate(t, s, p, "Bob Stone", "bob@patients.example")
	if _, err := s.UpdateAdvocate(ctx, p, b.ID, referral.AdvocateChange{Status: &off}); err != nil {
		t.Fatal(err)
	}
	_, err = s.SendAdvocateLink(ctx, p, b.ID)
	wantError(t, err, referral.EAdvocateDisabled)
}
