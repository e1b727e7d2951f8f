package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/app"
	"github.com/advocateloop/advocateloop/backend/dashboard"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Another site's page can make a browser post a form, token and all when it got hold of one;
// the browser still says where the post comes from, and the dashboard refuses it.
func TestPostsFromAnotherSiteAreRefused(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	p.Admin.get("/app/settings") // its token is valid for the posts below
	b := s.browser(t)
	b.get("/login")
	signIn := url.Values{"email": {p.Email}, "password": {password}}

	for _, from := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"}, // a sibling subdomain is another site too
		{"Origin", "https://evil.example"},
		{"Origin", "null"},
	} {
		want(t, b.post("/login", signIn, from...), http.StatusForbidden,
			"<h1>Not allowed</h1>", "sent from another website", "Back to the dashboard")
		want(t, p.Admin.post("/app/settings/api-keys", url.Values{"name": {"Zapier"}}, from...), http.StatusForbidden,
			"sent from another website")
		want(t, p.Admin.post("/logout", nil, from...), http.StatusForbidden)
	}
	if keys, _ := s.Service.APIKeys(context.Background(), p.Practice); len(keys) != 1 {
		t.Fatalf("%d API keys after posts from another site, want the first one only", len(keys))
	}
	want(t, p.Admin.get("/app"), http.StatusOK, "Conversions") // still signed in

	// The dashboard's own pages post as browsers send them, or with Origin only (older ones).
	want(t, p.Admin.post("/app/settings/api-keys", url.Values{"name": {"Zapier"}}, "Sec-Fetch-Site", "same-origin"), http.StatusOK)
	want(t, p.Admin.post("/app/settings/api-keys", url.Values{"name": {"Zapier"}}, "Origin", s.URL), http.StatusOK)
	wantRedirect(t, b.post("/login", signIn, "Sec-Fetch-Site", "same-origin", "Origin", s.URL), "/app")
	// A proxy may hand the server another Host: the public URL's origin is still its own.
	b = s.browser(t)
	b.get("/login")
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/login", strings.NewReader(url.Values{"email": {p.Email},
		"password": {password}, "csrf": {b.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.URL)
	req.Host = "advocateloop.internal:8080"
	u, _ := url.Parse(s.URL)
	for _, c := range b.client.Jar.Cookies(u) { // the client keeps cookies by Host
		req.AddCookie(c)
	}
	wantRedirect(t, b.do(req), "/app")
}

// The pre-sign-in token is the server's signature of the browser's cookie: a cookie and token
// a stranger planted together do not pass, nor does one browser's token with another's cookie.
func TestPlantedPreSignInTokensAreRefused(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	planted := strings.Repeat("planted-by-someone-else-", 3)
	plant := func(b *browser) {
		u, _ := url.Parse(s.URL)
		b.client.Jar.SetCookies(u, []*http.Cookie{{Name: "al_csrf", Value: planted, Path: "/"}})
	}
	setup := url.Values{"name": {"Glow"}, "email": {"owner@glow.example"}, "password": {password}, "confirm": {password}, "csrf": {planted}}

	b := s.browser(t)
	plant(b)
	want(t, b.post("/setup", setup), http.StatusForbidden, "did not come from this site")
	if n, _ := s.Service.PracticeCount(context.Background()); n != 0 {
		t.Fatalf("%d practices after a planted token", n)
	}
	// The page the planted cookie is shown with signs it; the signature alone is what passes.
	token := mustFirstRunToken(t, s)
	want(t, b.get("/setup?token="+token), http.StatusOK)
	if b.csrf == planted || b.csrf == "" {
		t.Fatalf("the form's token is %q, the cookie's own value", b.csrf)
	}
	wantRedirect(t, b.post("/setup", url.Values{"name": {"Glow"}, "email": {"owner@glow.example"},
		"password": {password}, "confirm": {password}, "token": {token}}), "/app")

	// Sign-in and set-password forms refuse it too.
	intruder := s.browser(t)
	plant(intruder)
	want(t, intruder.post("/login", url.Values{"email": {"owner@glow.example"}, "password": {password}, "csrf": {planted}}), http.StatusForbidden)
	_, invite, err := s.Service.InviteStaff(context.Background(), mustOnlyPractice(t, s), referral.NewStaff{Email: "desk@glow.example", Role: referral.FrontDesk})
	if err != nil {
		t.Fatal(err)
	}
	want(t, intruder.post("/setup/"+invite, url.Values{"password": {password}, "confirm": {password}, "csrf": {planted}}), http.StatusForbidden)

	// One browser's token does not fit another browser's cookie.
	mine, theirs := s.browser(t), s.browser(t)
	mine.get("/login")
	theirs.get("/login")
	want(t, theirs.post("/login", url.Values{"email": {"owner@glow.example"}, "password": {password}, "csrf": {mine.csrf}}), http.StatusForbidden)
	wantRedirect(t, mine.post("/login", url.Values{"email": {"owner@glow.example"}, "password": {password}}), "/app")
}

// Every server signs with the key in the database: a form one server showed, another accepts.
func TestPreSignInTokensHoldAcrossServers(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	twin := httptest.NewServer(app.Router(app.Routes{PublicURL: s.URL,
		Dashboard: dashboard.Handler(dashboard.Deps{Service: s.Service})}))
	t.Cleanup(twin.Close)

	b := s.browser(t)
	b.get("/login")
	other := &browser{tb: t, site: &site{URL: twin.URL}, client: b.client, csrf: b.csrf} // same cookies
	wantRedirect(t, other.post("/login", url.Values{"email": {p.Email}, "password": {password}}), "/app")
}

// On https the cookie is __Host-: Secure, for this host only, and no sibling site can set it.
// A cookie of the plain name, which one could, is not read at all, even with its own token.
func TestPreSignInCookieOnHTTPS(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	secure := httptest.NewServer(dashboard.Handler(dashboard.Deps{Service: &referral.Service{Store: s.DB, Clock: s.now, PublicURL: "https://refer.example.com"}}))
	t.Cleanup(secure.Close)

	b := s.browser(t)
	b.client.Jar = nil // cookies go exactly as each request says
	req, _ := http.NewRequest(http.MethodGet, secure.URL+"/login", nil)
	res := b.do(req)
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == "__Host-al_csrf" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.Secure || cookie.Path != "/" || cookie.Domain != "" || !cookie.HttpOnly {
		t.Fatalf("cookies %q, want a Secure, HttpOnly __Host-al_csrf for path / and no domain", res.Header.Values("Set-Cookie"))
	}
	login := func(name string) int {
		form := url.Values{"email": {"nobody@glow.example"}, "password": {password}, "csrf": {b.csrf}}
		req, _ := http.NewRequest(http.MethodPost, secure.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: name, Value: cookie.Value})
		return b.do(req).Status
	}
	if got := login("__Host-al_csrf"); got != http.StatusUnauthorized {
		t.Errorf("with the __Host- cookie: %d, want 401 (the form passed, the password did not)", got)
	}
	if got := login("al_csrf"); got != http.StatusForbidden {
		t.Errorf("with the same value in a plain al_csrf cookie: %d, want 403", got)
	}
}

// A stranger who knows the admin's email locks only their own address out; the admin, from
// theirs, signs in as ever.
func TestLockOutHoldsForTheAddressThatFailed(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	stranger := s.browserAt(t, "127.0.0.2")
	stranger.get("/login")
	for range referral.LoginAttempts {
		want(t, stranger.post("/login", url.Values{"email": {p.Email}, "password": {"Spring2026!"}}), http.StatusUnauthorized)
	}
	// The stranger's address is locked out, even with the right password, from any browser there.
	want(t, stranger.post("/login", url.Values{"email": {p.Email}, "password": {password}}), http.StatusTooManyRequests,
		"Too many attempts to sign in with this email from your connection")
	again := s.browserAt(t, "127.0.0.2")
	again.get("/login")
	want(t, again.post("/login", url.Values{"email": {p.Email}, "password": {password}}), http.StatusTooManyRequests)

	admin := s.browserAt(t, "127.0.0.3")
	admin.get("/login")
	wantRedirect(t, admin.post("/login", url.Values{"email": {p.Email}, "password": {password}}), "/app")
	want(t, admin.get("/app"), http.StatusOK, "Conversions")

	// Signing in elsewhere does not lift the stranger's lock-out; the window's end does.
	want(t, stranger.post("/login", url.Values{"email": {p.Email}, "password": {password}}), http.StatusTooManyRequests)
	s.advance(referral.LoginWindow + time.Second)
	wantRedirect(t, stranger.post("/login", url.Values{"email": {p.Email}, "password": {password}}), "/app")
}

// mustOnlyPractice is the practice /setup created.
func mustOnlyPractice(tb testing.TB, s *site) *referral.Practice {
	tb.Helper()
	var id string
	if err := s.DB.SQL().QueryRow("SELECT id FROM practices").Scan(&id); err != nil {
		tb.Fatal(err)
	}
	p, err := s.Service.Practice(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}
