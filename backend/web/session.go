package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// An advocate's page session is the token UseSignInLink returns, in a cookie that only the
// practice's own pages (/p/{slug}) receive: another practice's pages never see it.
const sessionCookie = "al_advocate"

func (s *site) startSession(w http.ResponseWriter, p *referral.Practice, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/p/" + p.Slug,
		MaxAge: int(referral.AdvocateSessionLifetime / time.Second), HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode})
}

func (s *site) endSession(w http.ResponseWriter, p *referral.Practice) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/p/" + p.Slug, MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// signedIn is the advocate of p whose session the request carries, and the session's token;
// a nil advocate when there is none, or it expired, or it belongs to another practice.
func (s *site) signedIn(r *http.Request, p *referral.Practice) (*referral.Advocate, string, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, "", nil
	}
	a, err := s.svc.SignedInAdvocate(r.Context(), p, c.Value)
	if err != nil || a == nil {
		return nil, "", err
	}
	return a, c.Value, nil
}

// A signed-in form's CSRF token is an HMAC of the session token: bound to the session, known
// to no other site, and nothing more to store. The cookie is SameSite=Lax already; this keeps
// a form posted from elsewhere out even where that does not hold.
func csrfToken(session string) string {
	mac := hmac.New(sha256.New, []byte(session))
	mac.Write([]byte("advocateloop advocate page"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// validCSRF checks the posted form's csrf field against the session's token.
func validCSRF(r *http.Request, session string) bool {
	got := r.PostFormValue("csrf")
	return got != "" && session != "" && hmac.Equal([]byte(got), []byte(csrfToken(session)))
}
