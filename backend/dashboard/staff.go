package dashboard

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type staffPage struct {
	view
	Staff     []referral.Staff
	Email     string
	Role      string
	SetupLink string
}

func (s *dashboard) staffList(w http.ResponseWriter, r *http.Request, v *visit) {
	s.renderStaff(w, r, v, http.StatusOK, staffPage{view: v.view("Staff", "staff"), Role: referral.FrontDesk})
}

func (s *dashboard) renderStaff(w http.ResponseWriter, r *http.Request, v *visit, status int, page staffPage) {
	list, err := s.svc.StaffList(r.Context(), v.practice())
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.Staff = list
	s.render(w, status, "staff", page)
}

// invite adds a colleague and shows the one-time link they set their password with.
func (s *dashboard) invite(w http.ResponseWriter, r *http.Request, v *visit) {
	page := staffPage{view: v.view("Staff", "staff"), Email: r.PostFormValue("email"), Role: r.PostFormValue("role")}
	_, token, err := s.svc.InviteStaff(r.Context(), v.practice(), referral.NewStaff{Email: page.Email, Role: page.Role})
	if err != nil {
		errs, ok := fieldErrors(err, map[string][2]string{"email": {"email", "Email"}, "role": {"role", "Role"}})
		if !ok {
			s.fail(w, r, v.view("", ""), err)
			return
		}
		page.Errors = errs
		s.renderStaff(w, r, v, http.StatusUnprocessableEntity, page)
		return
	}
	page.SetupLink = s.public + "/setup/" + token
	page.Notice = "Invitation created. Send this one-time link to " + page.Email + "; it works for 7 days."
	page.Email = ""
	s.renderStaff(w, r, v, http.StatusOK, page)
}
