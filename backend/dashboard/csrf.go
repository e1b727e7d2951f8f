package dashboard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// A signed-in form's CSRF token is an HMAC of the session token: bound to the session, known
// to no other site, and nothing more to store.
func csrfToken(sessionToken string) string {
	mac := hmac.New(sha256.New, []byte(sessionToken))
	mac.Write([]byte("advocateloop csrf"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// validCSRF checks the form's csrf field against want.
func validCSRF(r *http.Request, want string) bool {
	got := r.PostFormValue("csrf")
	return got != "" && want != "" && hmac.Equal([]byte(got), []byte(want))
}

// Forms before sign-in (setup, set password, sign in) have no session to bind to: they use a
// random token in a cookie that the form must repeat (double submit).
const preCookie = "al_csrf"

// preSessionToken returns the browser's pre-sign-in token, setting a new one when it has none.
func (s *dashboard) preSessionToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode})
	return token
}

// validPreSession checks a pre-sign-in form's token against its cookie.
func validPreSession(r *http.Request) bool {
	c, err := r.Cookie(preCookie)
	return err == nil && validCSRF(r, c.Value)
}

func (s *dashboard) refuseForm(w http.ResponseWriter) {
	s.forbidden(w, view{}, "This form has expired or did not come from this site. Go back, reload the page and try again.")
}
