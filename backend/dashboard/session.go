package dashboard

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

const sessionCookie = "al_session"

// visit is a signed-in request: who, their practice, and the CSRF token of their session.
type visit struct {
	*referral.SignedIn
	token    string
	mailHeld bool
}

// view starts a page's view for the signed-in person.
func (v *visit) view(title, nav string) view {
	return view{Title: title, Nav: nav, Me: v.SignedIn, CSRF: csrfToken(v.token), MailHeld: v.mailHeld}
}

func (v *visit) practice() *referral.Practice { return v.Practice }

// staff runs h for a signed-in person, checking the CSRF token of every POST; without a
// session it sends the browser to sign in and come back.
func (s *dashboard) staff(h func(http.ResponseWriter, *http.Request, *visit)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var token string
		if c, err := r.Cookie(sessionCookie); err == nil {
			token = c.Value
		}
		me, err := s.svc.Session(r.Context(), token)
		if err != nil {
			s.fail(w, r, view{}, err)
			return
		}
		if me == nil {
			next := "/app"
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		v := &visit{SignedIn: me, token: token, mailHeld: !s.mailDelivered}
		if r.Method == http.MethodPost && !validCSRF(r, csrfToken(token)) {
			s.forbidden(w, v.view("", ""), "This form has expired or did not come from this dashboard. Go back, reload the page and try again.")
			return
		}
		h(w, r, v)
	}
}

// admin is staff for the admin pages: the front desk is refused.
func (s *dashboard) admin(h func(http.ResponseWriter, *http.Request, *visit)) http.HandlerFunc {
	return s.staff(func(w http.ResponseWriter, r *http.Request, v *visit) {
		if v.Staff.Role != referral.Admin {
			s.forbidden(w, v.view("", ""), "Only an admin of your practice can open this page.")
			return
		}
		h(w, r, v)
	})
}

// signIn sets the session cookie and sends the browser on.
func (s *dashboard) signIn(w http.ResponseWriter, r *http.Request, token, next string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: int(referral.SessionMax.Seconds())})
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

func (s *dashboard) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// safeNext keeps a sign-in's return address inside the dashboard, never another site.
func safeNext(next string) string {
	if next == "/app" || strings.HasPrefix(next, "/app/") || strings.HasPrefix(next, "/app?") {
		if !strings.ContainsAny(next, "\\") && !strings.HasPrefix(next, "//") {
			return next
		}
	}
	return "/app"
}
