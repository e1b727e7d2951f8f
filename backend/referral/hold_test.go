package referral_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Releasing spans every practice, so each test that releases has a database of its own.

// mustHold sets the practice's hold through the reward policy, as the dashboard does.
func mustHold(tb testing.TB, s *referral.Service, p *referral.Practice, days int) *referral.Practice {
	tb.Helper()
	updated, err := s.UpdateRewardPolicy(tb.Context(), p, referral.RewardPolicyChange{Kind: p.Reward.Kind,
		Amount: referral.Amount(p.Reward.Amount.String()), AnnualCap: p.Reward.AnnualCap, HoldDays: days})
	if err != nil {
		tb.Fatalf("UpdateRewardPolicy(hold %d days): %v", days, err)
	}
	return updated
}

// mustRelease runs the release worker's operation once, which must not fail.
func mustRelease(tb testing.TB, s *referral.Service) int {
	tb.Helper()
	n, err := s.ReleaseHeldRewards(tb.Context(), 100)
	if err != nil {
		tb.Fatalf("ReleaseHeldRewards: %v", err)
	}
	return n
}

// mustReward reads one reward back by its id.
func mustReward(tb testing.TB, s *referral.Service, p *referral.Practice, id string) referral.Reward {
	tb.Helper()
	for _, r := range mustRewards(tb, s, p, referral.RewardFilter{}) {
		if r.ID == id {
			return r
		}
	}
	tb.Fatalf("no reward %s", id)
	return referral.Reward{}
}

func TestHoldDaysPolicy(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	if p.Reward.HoldDays != 0 {
		t.Fatalf("a new practice holds rewards %d days, want 0 (off)", p.Reward.HoldDays)
	}
	for _, days := range []int{-1, 91} {
		_, err := s.UpdateRewardPolicy(t.Context(), p, referral.RewardPolicyChange{Kind: referral.DiscountCode, Amount: "50", AnnualCap: 10, HoldDays: days})
		wantError(t, err, referral.EInvalid, "hold_days")
	}
	mustHold(t, s, p, 90)
	read, err := s.PracticeBySlug(t.Context(), p.Slug)
	if err != nil || read.Reward.HoldDays != 90 {
		t.Fatalf("practice read back = %+v, %v; want a 90-day hold", read, err)
	}
}

// Without a hold, nothing changes: the reward is issued with its code and email at once.
func TestNoHoldIssuesAtOnce(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	r := mustConvert(t, s, p, pay("INV-1", "fran@example.com")).Reward
	if r.Status != referral.Issued || !rewardCode.MatchString(r.Code) || r.HeldUntil != nil {
		t.Errorf("reward = %+v, want issued at once", r)
	}
	if got, want := kindsTo(mustMessages(t, s, p), "jane@example.com"), []string{"advocate_welcome:queued", "reward_earned:queued"}; !equal(got, want) {
		t.Errorf("messages = %v, want %v", got, want)
	}
}

// A held reward is pending, without a code or an email, until the hold ends; then the release
// issues it once: its code, reward.issued and one reward email.
func TestHeldRewardIsIssuedWhenTheHoldEnds(t *testing.T) {
	s, clock := mustIsolatedService(t)
	p := mustHold(t, s, mustPractice(t, s), 14)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	// The hold counts from the payment, not from when it was reported.
	paidAt := epoch.Add(time.Hour)
	clock.Set(epoch.Add(2 * time.Hour))
	ev := pay("INV-1", "fran@example.com")
	ev.PaidAt = paidAt.Format(time.RFC3339)
	c := mustConvert(t, s, p, ev)

	held := c.Reward
	wantUntil := paidAt.AddDate(0, 0, 14)
	if held.Status != referral.Pending || held.Code != "" || held.HeldUntil == nil || !held.HeldUntil.Equal(wantUntil) {
		t.Fatalf("reward = %+v, want pending without a code until %s", held, wantUntil)
	}
	if listed := mustReward(t, s, p, held.ID); listed.Status != referral.Pending || listed.HeldUntil == nil || !listed.HeldUntil.Equal(wantUntil) {
		t.Errorf("reward listed = %+v, want it pending until %s", listed, wantUntil)
	}
	if got := mustRewards(t, s, p, referral.RewardFilter{Status: referral.Pending}); len(got) != 1 {
		t.Errorf("%d rewards listed as pending, want 1", len(got))
	}
	var recorded struct {
		Reward map[string]any `json:"reward"`
	}
	if err := json.Unmarshal(mustEvents(t, s, p, referral.ConversionRecorded)[0].Data, &recorded); err != nil {
		t.Fatal(err)
	}
	if r := recorded.Reward; r["status"] != "pending" || r["code"] != nil || r["held_until"] != wantUntil.Format(time.RFC3339) {
		t.Errorf("conversion.recorded reward = %v, want pending, a null code and held_until", r)
	}
	if got, want := kindsTo(mustMessages(t, s, p), "jane@example.com"), []string{"advocate_welcome:queued"}; !equal(got, want) {
		t.Errorf("messages at conversion = %v, want no reward email yet", got)
	}

	// Not before the hold ends.
	clock.Set(wantUntil.Add(-time.Second))
	if n := mustRelease(t, s); n != 0 {
		t.Fatalf("released %d before the hold ended, want 0", n)
	}
	if got := mustReward(t, s, p, held.ID); got.Status != referral.Pending {
		t.Fatalf("reward = %+v, want still pending", got)
	}

	// A server started afresh (nothing but the database) releases it once the hold ends.
	clock.Set(wantUntil.Add(time.Minute))
	restarted := &referral.Service{Store: s.Store, Clock: clock.Now, PublicURL: s.PublicURL}
	if n, err := restarted.ReleaseHeldRewards(t.Context(), 100); err != nil || n != 1 {
		t.Fatalf("release = %d, %v; want 1", n, err)
	}
	issued := mustReward(t, s, p, held.ID)
	if issued.Status != referral.Issued || !rewardCode.MatchString(issued.Code) || issued.HeldUntil != nil ||
		!issued.IssuedAt.Equal(clock.Now()) || issued.VoidedAt != nil {
		t.Fatalf("reward after the hold = %+v, want issued now with a code", issued)
	}
	events := mustEvents(t, s, p, referral.RewardIssued)
	if len(events) != 1 {
		t.Fatalf("%d reward.issued events, want 1", len(events))
	}
	var data map[string]any
	if err := json.Unmarshal(events[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	if data["id"] != held.ID || data["code"] != issued.Code || data["status"] != "issued" || data["held_until"] != nil ||
		data["advocate_email"] != "jane@example.com" || data["advocate_first_name"] != "Jane" {
		t.Errorf("reward.issued data = %s", events[0].Data)
	}
	list := mustMessages(t, s, p)
	if got, want := kindsTo(list, "jane@example.com"), []string{"advocate_welcome:queued", "reward_earned:queued"}; !equal(got, want) {
		t.Fatalf("messages after the hold = %v, want %v", got, want)
	}
	if l := list[len(list)-1].Letter; l.RewardCode != issued.Code || l.RewardAmount != "$50" {
		t.Errorf("reward email = %+v, want its code and amount", l)
	}

	// Again, later: nothing more.
	clock.Add(time.Hour)
	if n := mustRelease(t, s); n != 0 {
		t.Errorf("a second release issued %d, want 0", n)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded, referral.RewardIssued)
	if got := len(mustMessages(t, s, p)); got != len(list) {
		t.Errorf("%d messages after a second release, want %d", got, len(list))
	}
	// Issued, it is redeemed like any other.
	if r, err := s.RedeemReward(t.Context(), p, issued.Code); err != nil || r.Status != referral.Redeemed {
		t.Errorf("redeem = %+v, %v", r, err)
	}
}

// A refund inside the hold voids the reward quietly: no email, no clawback, and the release
// never issues it.
func TestRefundInsideTheHoldVoidsQuietly(t *testing.T) {
	s, clock := mustIsolatedService(t)
	p := mustHold(t, s, mustPractice(t, s), 14)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	held := mustConvert(t, s, p, pay("INV-1", "fran@example.com")).Reward

	clock.Add(3 * 24 * time.Hour)
	res := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1"})
	r := res.Conversion.Reward
	if res.Outcome != referral.OutcomeReversed || r.Status != referral.Voided || r.HeldUntil != nil || r.ClawbackOwed ||
		r.VoidedAt == nil || !r.VoidedAt.Equal(clock.Now()) || r.Code != "" {
		t.Fatalf("refund inside the hold = %s, reward %+v; want it voided quietly", res.Outcome, r)
	}
	clock.Add(30 * 24 * time.Hour)
	if n := mustRelease(t, s); n != 0 {
		t.Errorf("released %d voided rewards, want 0", n)
	}
	if got := mustReward(t, s, p, held.ID); got.Status != referral.Voided || got.Code != "" || got.HeldUntil != nil {
		t.Errorf("reward = %+v, want voided for good", got)
	}
	if got, want := kindsTo(mustMessages(t, s, p), "jane@example.com"), []string{"advocate_welcome:queued"}; !equal(got, want) {
		t.Errorf("messages = %v, want the advocate told nothing of it", got)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded, referral.ConversionReversed)
}

// Once released, a reward follows the usual refund rules: voided (its email cancelled if it has
// not left), or, once redeemed, a clawback owed.
func TestRefundAfterTheHoldFollowsTheUsualRules(t *testing.T) {
	s, clock := mustIsolatedService(t)
	p := mustHold(t, s, mustPractice(t, s), 7)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	mustReferral(t, s, p, jane, "Gil Gray", "gil@example.com")
	mustConvert(t, s, p, pay("INV-1", "fran@example.com"))
	mustConvert(t, s, p, pay("INV-2", "gil@example.com"))
	clock.Add(8 * 24 * time.Hour)
	if n := mustRelease(t, s); n != 2 {
		t.Fatalf("released %d, want 2", n)
	}

	voided := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1"}).Conversion.Reward
	if voided.Status != referral.Voided || voided.Code == "" || voided.ClawbackOwed {
		t.Errorf("refunded after the hold = %+v, want voided with its code", voided)
	}
	spent := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-2"}).Conversion.Reward
	if spent.Status != referral.Voided {
		t.Fatalf("second refund = %+v", spent)
	}

	// A third friend, redeemed before the refund: the clawback is owed.
	mustReferral(t, s, p, jane, "Hal Hunt", "hal@example.com")
	mustConvert(t, s, p, pay("INV-3", "hal@example.com"))
	clock.Add(8 * 24 * time.Hour)
	mustRelease(t, s)
	code := mustRewards(t, s, p, referral.RewardFilter{Status: referral.Issued})[0].Code
	if _, err := s.RedeemReward(t.Context(), p, code); err != nil {
		t.Fatal(err)
	}
	if r := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-3"}).Conversion.Reward; r.Status != referral.Redeemed || !r.ClawbackOwed {
		t.Errorf("redeemed then refunded = %+v, want a clawback owed", r)
	}
	if got, want := kindsTo(mustMessages(t, s, p), "jane@example.com"), []string{"advocate_welcome:queued",
		"reward_earned:cancelled", "reward_earned:cancelled", "reward_earned:queued"}; !equal(got, want) {
		t.Errorf("messages = %v, want %v", got, want)
	}
}

// Pending rewards count toward the yearly cap; a capped reward is never held.
func TestPendingRewardsCountTowardTheCap(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	p.Reward.AnnualCap = 2
	mustSavePractice(t, s, p)
	p = mustHold(t, s, p, 14)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	convs := referFriends(t, s, p, jane, 3)
	for i, want := range []string{referral.Pending, referral.Pending, referral.Capped} {
		if r := convs[i].Reward; r.Status != want || r.Code != "" || (r.HeldUntil != nil) != (want == referral.Pending) {
			t.Errorf("reward %d = %+v, want %s", i+1, r, want)
		}
	}
	if r := mustReward(t, s, p, convs[2].Reward.ID); r.Status != referral.Capped || r.HeldUntil != nil {
		t.Errorf("capped reward stored = %+v, want no hold", r)
	}
}

// A payment reported after its hold would have ended is rewarded at once.
func TestLatePaymentSkipsTheHold(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustHold(t, s, mustPractice(t, s), 14)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	s.Clock = func() time.Time { return epoch.AddDate(0, 0, 20) }
	ev := pay("INV-1", "fran@example.com")
	ev.PaidAt = epoch.Add(time.Hour).Format(time.RFC3339)
	if r := mustConvert(t, s, p, ev).Reward; r.Status != referral.Issued || r.Code == "" || r.HeldUntil != nil {
		t.Errorf("reward = %+v, want issued at once", r)
	}
}

// Workers releasing at once (several servers on one database) issue each reward exactly once.
func TestConcurrentReleases(t *testing.T) {
	s, clock := mustIsolatedService(t)
	p := mustHold(t, s, mustPractice(t, s), 14)
	const rewards = 24
	for i := range rewards {
		a := mustAdvocate(t, s, p, fmt.Sprintf("Advocate %d", i), fmt.Sprintf("advocate%d@example.com", i))
		referFriends(t, s, p, a, 1)
	}
	clock.Add(15 * 24 * time.Hour)
	counts := make([]int, 6)
	for _, err := range concurrently(len(counts), func(i int) (err error) {
		counts[i], err = s.ReleaseHeldRewards(t.Context(), 100)
		return err
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != rewards {
		t.Errorf("released %v, %d in all; want %d", counts, total, rewards)
	}
	issued := map[string]bool{}
	for _, e := range mustEvents(t, s, p, referral.RewardIssued) {
		var r referral.Reward
		if err := json.Unmarshal(e.Data, &r); err != nil {
			t.Fatal(err)
		}
		if issued[r.ID] {
			t.Errorf("reward %s issued twice", r.ID)
		}
		issued[r.ID] = true
	}
	if len(issued) != rewards {
		t.Errorf("%d rewards have reward.issued, want %d", len(issued), rewards)
	}
	if got := len(mustRewards(t, s, p, referral.RewardFilter{Status: referral.Issued})); got != rewards {
		t.Errorf("%d rewards issued, want %d", got, rewards)
	}
	earned := 0
	for _, m := range mustMessages(t, s, p) {
		if m.Kind == referral.RewardEarned {
			earned++
		}
	}
	if earned != rewards {
		t.Errorf("%d reward emails, want %d", earned, rewards)
	}
}

// A refund and the release meeting on one reward: whichever comes first, the reward ends
// voided, and the advocate is never left with an email for a voided code.
func TestConcurrentReleaseAndRefund(t *testing.T) {
	s, clock := mustIsolatedService(t)
	p := mustHold(t, s, mustPractice(t, s), 14)
	const friends = 12
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	p.Reward.AnnualCap = friends
	mustSavePractice(t, s, p)
	convs := referFriends(t, s, p, jane, friends)
	clock.Add(15 * 24 * time.Hour)
	for _, err := range concurrently(friends+1, func(i int) error {
		if i == friends {
			_, err := s.ReleaseHeldRewards(t.Context(), 100)
			return err
		}
		_, err := s.ReverseConversion(t.Context(), p, referral.RefundEvent{InvoiceID: convs[i].InvoiceID})
		return err
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range mustRewards(t, s, p, referral.RewardFilter{}) {
		if r.Status != referral.Voided || r.HeldUntil != nil {
			t.Errorf("reward = %+v, want voided", r)
		}
	}
	for _, m := range mustMessages(t, s, p) {
		if m.Kind == referral.RewardEarned && m.Status != referral.MessageCancelled {
			t.Errorf("reward email %s is %s, want it cancelled with its voided reward", m.ID, m.Status)
		}
	}
}
