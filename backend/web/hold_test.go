package web_test

import (
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// A reward held through the practice's refund window is on the advocate's page as on its way,
// from the day its hold ends in the practice's time zone, without a code; then with its code.
func TestAdvocatePageShowsAHeldReward(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	tomorrow := time.Now().UTC().AddDate(0, 0, 1)
	s.setClock(time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 3, 0, 0, 0, time.UTC))
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	p, err := s.Service.UpdateRewardPolicy(t.Context(), p, referral.RewardPolicyChange{Kind: referral.DiscountCode, Amount: "50", AnnualCap: 10, HoldDays: 14})
	if err != nil {
		t.Fatal(err)
	}
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")
	wantPage(t, s.postForm(t, "/r/"+jane.Code, person("Fran Fields", "fran@example.com")), 200, "Check your inbox")
	res, err := s.Service.RecordConversion(t.Context(), p, referral.PaymentEvent{InvoiceID: "INV-1",
		Email: "fran@example.com", Name: "Fran Fields", Amount: "250.00"})
	if err != nil || res.Conversion == nil || res.Conversion.Reward.HeldUntil == nil {
		t.Fatalf("conversion = %+v, %v; want a held reward", res, err)
	}
	until := *res.Conversion.Reward.HeldUntil
	day := until.In(p.Location()).Format("Jan 2")
	if day == until.UTC().Format("Jan 2") {
		t.Fatalf("the hold ends on %s in UTC and in New York: the test cannot tell them apart", day)
	}

	me := "/p/" + p.Slug + "/me"
	cookie := s.mustSignIn(t, p, "jane@example.com")
	page := s.get(t, me, "Cookie", cookie)
	wantPage(t, page, 200, "<strong>$50</strong> in service credit", `<p><span class="reward-status">On its way, from `+day+`</span></p>`)
	wantNone(t, page, `Code <strong class="code">`, "Fran")

	s.setClock(until.Add(time.Minute))
	if n, err := s.Service.ReleaseHeldRewards(t.Context(), 10); err != nil || n != 1 {
		t.Fatalf("release = %d, %v", n, err)
	}
	code := s.lastMessage(t, p, referral.RewardEarned, "jane@example.com").Letter.RewardCode
	page = s.get(t, me, "Cookie", cookie)
	wantPage(t, page, 200, `Code <strong class="code">`+code+`</strong> · <span class="reward-status">Issued</span>`)
	wantNone(t, page, "On its way")
}
