package dashboard

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type nearMissPage struct {
	view
	NearMisses []referral.NearMiss
	Older      string
}

func (s *dashboard) nearMisses(w http.ResponseWriter, r *http.Request, v *visit) {
	page := nearMissPage{view: v.view("Near-misses", "nearmisses")}
	switch r.URL.Query().Get("done") {
	case "confirmed":
		page.Notice = "Confirmed: the referral is converted and the advocate rewarded."
	case "dismissed":
		page.Notice = "Dismissed: the payer's details are deleted."
	}
	list, next, err := s.svc.NearMisses(r.Context(), v.practice(), referral.Page{Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.NearMisses, page.Older = list, next
	pages.Render(w, http.StatusOK, "nearmisses", page)
}

func (s *dashboard) confirmNearMiss(w http.ResponseWriter, r *http.Request, v *visit) {
	if _, err := s.svc.ConfirmNearMiss(r.Context(), v.practice(), r.PathValue("id")); err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app/near-misses?done=confirmed", http.StatusSeeOther)
}

func (s *dashboard) dismissNearMiss(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := s.svc.DismissNearMiss(r.Context(), v.practice(), r.PathValue("id")); err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app/near-misses?done=dismissed", http.StatusSeeOther)
}
