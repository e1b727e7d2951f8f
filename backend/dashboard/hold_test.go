package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

const holdHelp = "Rewards wait this many days after the payment, your refund window; a refund inside it voids the reward quietly. 0 issues rewards at once."

// An admin sets the hold in the reward policy; held rewards then show, in the feed and the
// rewards page, with the day their hold ends in the practice's time zone.
func TestRewardHold(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	// At three in the morning UTC it is still the day before in New York, the practice's zone.
	tomorrow := time.Now().UTC().AddDate(0, 0, 1)
	s.advance(time.Until(time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 3, 0, 0, 0, time.UTC)))
	p := s.mustPractice(t, "Glow")
	reward := url.Values{"kind": {"discount_code"}, "amount": {"50"}, "annual_cap": {"10"}}
	withHold := func(days string) url.Values {
		form := url.Values{"hold_days": {days}}
		for k, v := range reward {
			form[k] = v
		}
		return form
	}

	want(t, p.Admin.get("/app/settings"), http.StatusOK, `<label for="hold_days">Reward hold (days)</label>`,
		`<input id="hold_days" name="hold_days" type="number" value="0" aria-describedby="hold_days-help">`,
		`<p class="muted" id="hold_days-help">`+holdHelp+`</p>`)
	want(t, p.Admin.post("/app/settings/reward", withHold("91")), http.StatusUnprocessableEntity,
		`aria-describedby="hold_days-error hold_days-help"`, `id="hold_days-error" role="alert">Reward hold must be at most 90.</p>`, `value="91"`)
	want(t, p.Admin.post("/app/settings/reward", withHold("two weeks")), http.StatusUnprocessableEntity,
		`id="hold_days-error" role="alert">Reward hold must be a whole number of days.</p>`)
	wantRedirect(t, p.Admin.post("/app/settings/reward", withHold(" 14 ")), "/app/settings?done=saved")
	if got, _ := s.Service.PracticeBySlug(context.Background(), p.Slug); got.Reward.HoldDays != 14 {
		t.Fatalf("hold = %d days, want 14", got.Reward.HoldDays)
	}
	want(t, p.Admin.get("/app/settings"), http.StatusOK, `name="hold_days" type="number" value="14"`)

	c := s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1001")
	if c.Reward.Status != referral.Pending || c.Reward.HeldUntil == nil {
		t.Fatalf("reward = %+v, want pending", c.Reward)
	}
	day := c.Reward.HeldUntil.In(p.Location()).Format("Jan 2")
	if day == c.Reward.HeldUntil.UTC().Format("Jan 2") {
		t.Fatalf("the hold ends on %s in UTC and in New York: the test cannot tell them apart", day)
	}
	want(t, p.Admin.get("/app"), http.StatusOK, "Fran F. paid invoice INV-1001 → Jane A. earns $50, pending until "+day)
	want(t, p.Admin.get("/app/rewards"), http.StatusOK, `<h2 id="held-heading">Rewards on hold</h2>`,
		"<li>$50 for Jane Adams · pending until "+day+"</li>")

	// Refunded inside the hold: the feed says so, and nothing is on hold any more.
	if _, err := s.Service.ReverseConversion(context.Background(), p.Practice, referral.RefundEvent{InvoiceID: "INV-1001"}); err != nil {
		t.Fatal(err)
	}
	want(t, p.Admin.get("/app"), http.StatusOK, "Jane A. earned no reward: refunded during the hold · reversed (refunded)")
	want(t, p.Admin.get("/app/rewards"), http.StatusOK, `<h2 id="held-heading">Rewards on hold</h2>`+"\n"+`<p class="muted">`)
	if body := p.Admin.get("/app/rewards").Body; strings.Contains(body, "pending until") {
		t.Error("a voided reward is still listed on hold")
	}
}
