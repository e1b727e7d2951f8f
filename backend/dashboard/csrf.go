package dashboard

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// A signed-in form's CSRF token is an HMAC of the session token: bound to the session, known
// to no other site, and nothing more to store.
func csrfToken(sessionToken string) string {
	return mac([]byte(sessionToken), "advocateloop csrf")
}

func mac(key []byte, message string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(message))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF checks the form's csrf field against want.
func validCSRF(r *http.Request, want string) bool {
	got := r.PostFormValue("csrf")
	return got != "" && want != "" && hmac.Equal([]byte(got), []byte(want))
}

// Forms before sign-in (setup, set password, sign in) have no session to bind to. The browser
// keeps a random value in a cookie, and the form carries an HMAC of it under a key that only
// the servers know: a cookie and a token someone made up do not match, even when a sibling
// site plants that cookie. On https the cookie's __Host- name keeps sibling sites from
// setting it at all.
const (
	preCookie       = "al_csrf"
	preCookieSecure = "__Host-al_csrf"
	// formKeyName names the key in the database; every server signs with the same one.
	formKeyName = "dashboard pre-sign-in forms"
)

// preForm is a form before sign-in: the token its page carries, and whether the request
// posted the right one.
type preForm struct {
	token string
	valid bool
}

// preSignIn finds the browser's pre-sign-in form token, giving the browser a new cookie when
// it has none. When it answers false it has answered the request itself.
func (s *dashboard) preSignIn(w http.ResponseWriter, r *http.Request) (preForm, bool) {
	key, err := s.formKey(r.Context())
	if err != nil {
		s.fail(w, r, view{}, err)
		return preForm{}, false
	}
	name := preCookie
	if s.secure {
		name = preCookieSecure
	}
	var value string
	if c, err := r.Cookie(name); err == nil && len(c.Value) >= 32 {
		value = c.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		value = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true,
			Secure: s.secure, SameSite: http.SameSiteStrictMode})
	}
	f := preForm{token: mac(key, "advocateloop pre-sign-in csrf\x00"+value)}
	f.valid = validCSRF(r, f.token)
	return f, true
}

// postedPreSignIn is preSignIn for a form's post: a post without the form's token is
// refused here, so it answers false then too.
func (s *dashboard) postedPreSignIn(w http.ResponseWriter, r *http.Request) (preForm, bool) {
	form, ok := s.preSignIn(w, r)
	if ok && !form.valid {
		s.refuseForm(w)
		ok = false
	}
	return form, ok
}

func (s *dashboard) refuseForm(w http.ResponseWriter) {
	s.forbidden(w, view{}, "This form has expired or did not come from this site. Go back, reload the page and try again.")
}

// formKey is the key that signs pre-sign-in tokens, read from the database once per process.
func (s *dashboard) formKey(ctx context.Context) ([]byte, error) {
	s.formKeyMu.Lock()
	defer s.formKeyMu.Unlock()
	if s.formKeyBytes == nil {
		key, err := s.svc.ServerKey(ctx, formKeyName)
		if err != nil {
			return nil, err
		}
		s.formKeyBytes = key
	}
	return s.formKeyBytes, nil
}
