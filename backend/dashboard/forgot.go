package dashboard

import (
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// "Forgot password?": staff give their email and get a one-time link to choose a new password.
// The page answers the same whether the email has an account or not, so it tells no one who
// works where; the form is throttled like sign-in, and each address gets few emails an hour.

type forgotPage struct {
	view
	Email string
	Sent  bool
}

func (s *dashboard) showForgot(w http.ResponseWriter, r *http.Request) {
	form, ok := s.preSignIn(w, r)
	if !ok {
		return
	}
	pages.Render(w, http.StatusOK, "forgot", forgotPage{view: view{Title: "Forgot password", CSRF: form.token}})
}

func (s *dashboard) forgot(w http.ResponseWriter, r *http.Request) {
	form, ok := s.postedPreSignIn(w, r)
	if !ok {
		return
	}
	page := forgotPage{view: view{Title: "Forgot password", CSRF: form.token}, Email: strings.TrimSpace(r.PostFormValue("email"))}
	err := s.svc.RequestPasswordReset(r.Context(), referral.PasswordResetRequest{Email: page.Email})
	if errs, ok := fieldErrors(err, map[string][2]string{"email": {"email", "Email"}}); ok {
		page.Errors = errs
		pages.Render(w, http.StatusUnprocessableEntity, "forgot", page)
		return
	}
	if err != nil {
		s.fail(w, r, view{}, err)
		return
	}
	page.Sent = true
	pages.Render(w, http.StatusOK, "forgot", page)
}
