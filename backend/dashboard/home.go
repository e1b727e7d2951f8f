package dashboard

import (
	"net/http"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type homePage struct {
	view
	From, To, Status string
	Conversions      []referral.Conversion
	Older            string // the next page's cursor, or ""
	ThisMonth        []referral.AdvocateCount
	AllTime          []referral.AdvocateCount
	Usage            referral.PlanUsage
	Checklist        *checklist // nil once set-up is done, and for the front desk
}

// home is the conversions feed, newest first, and whom to thank.
func (s *dashboard) home(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	p := v.practice()
	page := homePage{view: v.view("Conversions", "home"), From: q.Get("from"), To: q.Get("to"), Status: q.Get("status")}
	if q.Get("converted") != "" {
		page.Notice = "Conversion recorded. The advocate's reward is in the feed below."
	}
	f := referral.ConversionFilter{Status: page.Status}
	page.Errors = map[string]string{}
	if page.From != "" {
		if d, err := time.ParseInLocation("2006-01-02", page.From, p.Location()); err == nil {
			f.From = d.UTC()
		} else {
			page.Errors["from"] = "From must be a date."
		}
	}
	if page.To != "" {
		if d, err := time.ParseInLocation("2006-01-02", page.To, p.Location()); err == nil {
			f.To = d.AddDate(0, 0, 1).UTC() // the whole of the last day
		} else {
			page.Errors["to"] = "To must be a date."
		}
	}
	if f.Status != "" && f.Status != referral.Rewarded && f.Status != referral.Reversed {
		f.Status, page.Status = "", ""
	}
	list, next, err := s.svc.Conversions(r.Context(), p, f, referral.Page{Cursor: q.Get("cursor")})
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.Conversions = list
	page.Older = next
	ctx := r.Context()
	if page.Checklist, err = s.checklist(r, v); err == nil {
		page.ThisMonth, err = s.svc.Leaderboard(ctx, p, p.MonthStart(s.svc.Now()).UTC(), 10)
	}
	if err == nil {
		page.AllTime, err = s.svc.Leaderboard(ctx, p, time.Time{}, 10)
	}
	if err == nil {
		page.Usage, err = s.svc.PlanUsage(ctx, p)
	}
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	pages.Render(w, http.StatusOK, "home", page)
}
