package dashboard

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type upgradePage struct {
	view
	Usage referral.PlanUsage
}

// upgrade is where the plan-limit banner leads: paid plans are not open yet, so it says how
// to make room instead.
func (s *dashboard) upgrade(w http.ResponseWriter, r *http.Request, v *visit) {
	u, err := s.svc.PlanUsage(r.Context(), v.practice())
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	pages.Render(w, http.StatusOK, "upgrade", upgradePage{view: v.view("Upgrade", ""), Usage: u})
}
