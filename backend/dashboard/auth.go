package dashboard

import (
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

type loginPage struct {
	view
	Email, Next string
}

func (s *dashboard) showLogin(w http.ResponseWriter, r *http.Request) {
	form, ok := s.preSignIn(w, r)
	if !ok {
		return
	}
	pages.Render(w, http.StatusOK, "login", loginPage{view: view{Title: "Sign in", CSRF: form.token},
		Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *dashboard) login(w http.ResponseWriter, r *http.Request) {
	form, ok := s.postedPreSignIn(w, r)
	if !ok {
		return
	}
	email, next := strings.TrimSpace(r.PostFormValue("email")), safeNext(r.PostFormValue("next"))
	client := edge.ClientKey(r, s.proxies)
	token, err := s.svc.SignIn(r.Context(), email, r.PostFormValue("password"), client)
	if err == nil {
		s.signIn(w, r, token, next)
		return
	}
	page := loginPage{view: view{Title: "Sign in", CSRF: form.token}, Email: email, Next: next}
	switch referral.ErrorCode(err) {
	case referral.ELocked:
		page.Alert = "Too many attempts to sign in with this email from your connection. Wait 15 minutes, then try again."
		edge.SetRetryAfter(w, int(referral.LoginWindow.Seconds()))
		pages.Render(w, http.StatusTooManyRequests, "login", page)
	case referral.EUnauthorized:
		page.Alert = "Email or password is wrong."
		pages.Render(w, http.StatusUnauthorized, "login", page)
	default:
		s.fail(w, r, view{}, err)
	}
}

func (s *dashboard) logout(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := s.svc.SignOut(r.Context(), v.token); err != nil {
		s.fail(w, r, view{}, err)
		return
	}
	s.clearSession(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
