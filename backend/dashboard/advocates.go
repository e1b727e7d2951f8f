package dashboard

import (
	"net/http"
	"net/url"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// idle is the advocates page's filter for active advocates with no referral in IdleAfter.
const idle = "idle"

type advocatesPage struct {
	view
	Query, Status string
	Advocates     []referral.Advocate
	Older         string // the next page's address, or ""
}

// advocates lists the practice's advocates, newest first, found by name, email or code.
func (s *dashboard) advocates(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	page := advocatesPage{view: v.view("Advocates", "advocates"), Query: q.Get("q"), Status: q.Get("status")}
	f := referral.AdvocateFilter{Search: page.Query, Status: page.Status}
	switch page.Status {
	case referral.Active, referral.Disabled:
	case idle: // active, with no referral for a while: whom to disable when the plan is full
		f.Status, f.IdleSince = referral.Active, s.svc.Now().Add(-referral.IdleAfter)
	default:
		f.Status, page.Status = "", ""
	}
	list, next, err := s.svc.Advocates(r.Context(), v.practice(), f, referral.Page{Cursor: q.Get("cursor")})
	if errs, ok := fieldErrors(err, map[string][2]string{"q": {"q", "Search"}}); ok {
		page.Errors, err = errs, nil
	}
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.Advocates = list
	if next != "" {
		page.Older = "/app/advocates?" + url.Values{"q": {page.Query}, "status": {page.Status}, "cursor": {next}}.Encode()
	}
	pages.Render(w, http.StatusOK, "advocates", page)
}

type advocatePage struct {
	view
	Advocate    *referral.Advocate
	Referrals   []referral.Referral
	Conversions []referral.Conversion
	Rewards     []referral.Reward
	// More says that a list is longer than the page shows: each has its own page to see all.
	MoreReferrals, MoreConversions, MoreRewards bool
}

// advocate is one advocate's page: their link, referrals, conversions and rewards, and what
// staff can do for them.
func (s *dashboard) advocate(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx, p := r.Context(), v.practice()
	a, err := s.svc.Advocate(ctx, p, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page := advocatePage{view: v.view(a.Name, "advocates"), Advocate: a}
	switch r.URL.Query().Get("done") {
	case "sent":
		page.Notice = "Sent: " + a.Name + " gets an email with a link to their own page. It is in the Mailbox too."
	case "disabled":
		page.Notice = "Disabled: their link no longer works, and their place on the plan is free."
	case "enabled":
		page.Notice = "Enabled: their link works again."
	}
	var next [3]string
	page.Referrals, next[0], err = s.svc.Referrals(ctx, p, referral.ReferralFilter{AdvocateID: a.ID}, referral.Page{})
	if err == nil {
		page.Conversions, next[1], err = s.svc.Conversions(ctx, p, referral.ConversionFilter{AdvocateID: a.ID}, referral.Page{})
	}
	if err == nil {
		page.Rewards, next[2], err = s.svc.Rewards(ctx, p, referral.RewardFilter{AdvocateID: a.ID}, referral.Page{})
	}
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.MoreReferrals, page.MoreConversions, page.MoreRewards = next[0] != "", next[1] != "", next[2] != ""
	pages.Render(w, http.StatusOK, "advocate", page)
}

// setAdvocateStatus disables or enables an advocate: an admin's decision, since it turns a
// patient's link off and decides who holds the plan's places.
func (s *dashboard) setAdvocateStatus(status, done string) func(http.ResponseWriter, *http.Request, *visit) {
	return func(w http.ResponseWriter, r *http.Request, v *visit) {
		a, err := s.svc.UpdateAdvocate(r.Context(), v.practice(), r.PathValue("id"), referral.AdvocateChange{Status: &status})
		if err != nil {
			s.fail(w, r, v.view("", ""), err)
			return
		}
		http.Redirect(w, r, "/app/advocates/"+url.PathEscape(a.ID)+"?done="+done, http.StatusSeeOther)
	}
}

// sendAdvocateLink emails an advocate a link to their own page, for a patient at the desk.
func (s *dashboard) sendAdvocateLink(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := s.svc.SendAdvocateLink(r.Context(), v.practice(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app/advocates/"+url.PathEscape(a.ID)+"?done=sent", http.StatusSeeOther)
}
