package dashboard

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type referralsPage struct {
	view
	Query, Status string
	Referrals     []referral.Referral
	Older         string // the next page's address, or ""
	now           time.Time
}

// Age is how long a pending referral has waited for the friend's first payment: "12 days".
func (p referralsPage) Age(r referral.Referral) string { return age(p.now.Sub(r.ClaimedAt)) }

// referrals lists friends' claims, newest first, found by the friend's or advocate's name or
// email, or the advocate's code.
func (s *dashboard) referrals(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	page := referralsPage{view: v.view("Referrals", "referrals"), Query: q.Get("q"), Status: q.Get("status"), now: s.svc.Now()}
	if page.Status != referral.Pending && page.Status != referral.Converted {
		page.Status = ""
	}
	list, next, err := s.svc.Referrals(r.Context(), v.practice(),
		referral.ReferralFilter{Search: page.Query, Status: page.Status}, referral.Page{Cursor: q.Get("cursor")})
	if errs, ok := fieldErrors(err, map[string][2]string{"q": {"q", "Search"}}); ok {
		page.Errors, err = errs, nil
	}
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.Referrals = list
	if next != "" {
		page.Older = "/app/referrals?" + url.Values{"q": {page.Query}, "status": {page.Status}, "cursor": {next}}.Encode()
	}
	pages.Render(w, http.StatusOK, "referrals", page)
}

// age says a duration as people do: "less than a day", "1 day", "12 days".
func age(d time.Duration) string {
	days := int(d.Hours() / 24)
	switch {
	case days < 1:
		return "less than a day"
	case days == 1:
		return "1 day"
	}
	return strconv.Itoa(days) + " days"
}
