package dashboard

import (
	"net/http"
	"net/url"

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
	page := staffPage{view: v.view("Staff", "staff"), Role: referral.FrontDesk}
	switch r.URL.Query().Get("done") {
	case "role":
		page.Notice = "Role changed. Their sessions ended: they sign in again with their new role."
	case "removed":
		page.Notice = "Removed. They were signed out at once."
	}
	s.renderStaff(w, r, v, http.StatusOK, page)
}

func (s *dashboard) renderStaff(w http.ResponseWriter, r *http.Request, v *visit, status int, page staffPage) {
	list, err := s.svc.StaffList(r.Context(), v.practice())
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.Staff = list
	pages.Render(w, status, "staff", page)
}

// invite adds a colleague and emails them a one-time link to set their password. Without a
// mail server the email waits in the Mailbox, and the link is shown here too, to pass on.
func (s *dashboard) invite(w http.ResponseWriter, r *http.Request, v *visit) {
	page := staffPage{view: v.view("Staff", "staff"), Email: r.PostFormValue("email"), Role: r.PostFormValue("role")}
	st, token, err := s.svc.InviteStaff(r.Context(), v.practice(), referral.NewStaff{Email: page.Email, Role: page.Role})
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
	page.Notice = "Invitation emailed to " + st.Email + ". Its link works for 7 days; inviting again sends a new one."
	if v.mailHeld {
		page.SetupLink = s.svc.SetPasswordURL(token)
		page.Notice = "Invitation written to " + st.Email + ". No mail server is set, so it waits in the Mailbox: pass this one-time link on; it works for 7 days."
	}
	page.Email, page.Role = "", referral.FrontDesk
	s.renderStaff(w, r, v, http.StatusOK, page)
}

// changeRole gives a colleague another role; their sessions end, so the new role holds at once.
func (s *dashboard) changeRole(w http.ResponseWriter, r *http.Request, v *visit) {
	st, err := s.svc.ChangeStaffRole(r.Context(), v.practice(), r.PathValue("id"), r.PostFormValue("role"))
	s.teamChanged(w, r, v, st, err, "role")
}

// removeStaff takes a colleague off the team and signs them out everywhere.
func (s *dashboard) removeStaff(w http.ResponseWriter, r *http.Request, v *visit) {
	st, err := s.svc.RemoveStaff(r.Context(), v.practice(), r.PathValue("id"))
	s.teamChanged(w, r, v, st, err, "removed")
}

// teamChanged answers a change to the team: back to the list, or to sign-in when the admin
// changed their own account and so ended their own session.
func (s *dashboard) teamChanged(w http.ResponseWriter, r *http.Request, v *visit, st *referral.Staff, err error, done string) {
	if err != nil {
		s.fail(w, r, v.view("Staff", "staff"), err)
		return
	}
	if st.ID == v.Staff.ID {
		s.clearSession(w)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/app/staff?done="+url.QueryEscape(done), http.StatusSeeOther)
}
