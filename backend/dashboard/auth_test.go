package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/dashboard"
	"github.com/advocateloop/advocateloop/backend/referral"
)

func TestSetupCreatesTheFirstPracticeAndSignsIn(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	b := s.browser(t)
	token := mustFirstRunToken(t, s)
	want(t, b.get("/setup?token="+token), http.StatusOK, "Practice name", "Your email", "Confirm password", "Create practice")
	res := b.post("/setup", url.Values{"name": {"Glow Aesthetics"}, "email": {"Owner@Glow.example"},
		"password": {password}, "confirm": {password}, "token": {token}})
	wantRedirect(t, res, "/app")
	cookie := res.Header.Get("Set-Cookie")
	for _, attr := range []string{"al_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie %q lacks %s", cookie, attr)
		}
	}
	want(t, b.get("/app"), http.StatusOK, "<h1>Conversions</h1>", "owner@glow.example", "Settings")
	// Once there is a practice, /setup is gone, for everyone.
	want(t, s.browser(t).get("/setup?token="+token), http.StatusNotFound)
	want(t, b.post("/setup", url.Values{"name": {"Second"}, "email": {"x@y.example"}, "password": {password}, "confirm": {password}, "token": {token}}), http.StatusNotFound)
	// The admin signs in again with the password chosen.
	s.signIn(t, "owner@glow.example", password)
}

func TestSetupShowsFieldErrorsAndCreatesNothing(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	b := s.browser(t)
	token := mustFirstRunToken(t, s)
	b.get("/setup?token=" + token)
	res := b.post("/setup", url.Values{"name": {"Glow"}, "email": {"owner@glow.example"}, "password": {"short"}, "confirm": {"short"}, "token": {token}})
	want(t, res, http.StatusUnprocessableEntity, `aria-describedby="password-error`, "at least 10 characters", `value="Glow"`)
	res = b.post("/setup", url.Values{"name": {"Glow"}, "email": {"not an email"}, "password": {password}, "confirm": {password}, "token": {token}})
	want(t, res, http.StatusUnprocessableEntity, `id="email-error"`)
	if n, _ := s.Service.PracticeCount(context.Background()); n != 0 {
		t.Fatalf("%d practices after refused forms", n)
	}
}

func TestFormsWithoutTheirCSRFTokenAreRefused(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	b := s.browser(t)
	b.get("/setup?token=" + mustFirstRunToken(t, s))
	form := url.Values{"name": {"Glow"}, "email": {"owner@glow.example"}, "password": {password}, "confirm": {password}, "csrf": {"forged"}}
	want(t, b.post("/setup", form), http.StatusForbidden)
	// A browser that never loaded the form has no token cookie at all.
	want(t, s.browser(t).post("/login", url.Values{"email": {"a@b.example"}, "password": {password}, "csrf": {""}}), http.StatusForbidden)

	p := s.mustPractice(t, "Glow")
	for _, path := range []string{"/logout", "/app/rewards/redeem", "/app/conversions", "/app/settings/api-keys", "/app/staff"} {
		want(t, p.Admin.post(path, url.Values{"csrf": {"wrong"}}), http.StatusForbidden)
		want(t, p.Admin.post(path, url.Values{"csrf": {""}}), http.StatusForbidden)
	}
	// Another session's token does not fit this session.
	other := s.signIn(t, p.Email, password)
	want(t, p.Admin.post("/app/settings/api-keys", url.Values{"csrf": {other.csrf}}), http.StatusForbidden)
	keys, _ := s.Service.APIKeys(context.Background(), p.Practice)
	if len(keys) != 1 {
		t.Fatalf("%d keys after refused forms, want the first one only", len(keys))
	}
}

func TestSetupLinkSetsThePasswordOnce(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	_, secrets, err := s.Service.CreatePractice(context.Background(), referral.NewPractice{Name: "Glow", AdminEmail: "owner@glow.example"})
	if err != nil {
		t.Fatal(err)
	}
	b := s.browser(t)
	want(t, b.get("/setup/"+secrets.SetupToken), http.StatusOK, "owner@glow.example", "Set password")
	want(t, b.post("/setup/"+secrets.SetupToken, url.Values{"password": {password}, "confirm": {"something else"}}),
		http.StatusUnprocessableEntity, `id="confirm-error"`)
	wantRedirect(t, b.post("/setup/"+secrets.SetupToken, url.Values{"password": {password}, "confirm": {password}}), "/app")
	want(t, b.get("/app"), http.StatusOK, "Conversions")
	want(t, s.browser(t).get("/setup/"+secrets.SetupToken), http.StatusNotFound, "no longer works")
	want(t, s.browser(t).get("/setup/not-a-token"), http.StatusNotFound)
}

func TestSetupLinkExpires(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	_, secrets, _ := s.Service.CreatePractice(context.Background(), referral.NewPractice{Name: "Glow", AdminEmail: "owner@glow.example"})
	s.advance(referral.SetupTokenLifetime + time.Minute)
	want(t, s.browser(t).get("/setup/"+secrets.SetupToken), http.StatusNotFound)
}

func TestSignInSignOut(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	b := s.browser(t)
	want(t, b.get("/login"), http.StatusOK, `<label for="email">Email</label>`, `<label for="password">Password</label>`, "Sign in")
	want(t, b.post("/login", url.Values{"email": {p.Email}, "password": {"wrong password"}}), http.StatusUnauthorized,
		`role="alert">Email or password is wrong.`)
	want(t, b.post("/login", url.Values{"email": {"nobody@glow.example"}, "password": {password}}), http.StatusUnauthorized,
		"Email or password is wrong.")
	// Sign-in goes back where the person was going, never to another site.
	wantRedirect(t, b.post("/login", url.Values{"email": {" " + strings.ToUpper(p.Email)}, "password": {password}, "next": {"/app/rewards"}}), "/app/rewards")
	b2 := s.browser(t)
	b2.get("/login")
	wantRedirect(t, b2.post("/login", url.Values{"email": {p.Email}, "password": {password}, "next": {"//evil.example/app"}}), "/app")

	b.get("/app")
	wantRedirect(t, b.post("/logout", nil), "/login")
	wantRedirect(t, b.get("/app"), "/login?next=%2Fapp")
}

func TestAppWithoutSessionGoesToSignIn(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	b := s.browser(t)
	wantRedirect(t, b.get("/app"), "/login?next=%2Fapp")
	wantRedirect(t, b.get("/app/rewards?code=AL-X"), "/login?next=%2Fapp%2Frewards%3Fcode%3DAL-X")
	wantRedirect(t, b.post("/app/rewards/redeem", url.Values{"code": {"AL-X"}}), "/login?next=%2Fapp")
	want(t, b.get("/app/nothing-here"), http.StatusNotFound)
}

func TestLockOutAfterFiveFailures(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	b := s.browser(t)
	b.get("/login")
	for range referral.LoginAttempts {
		want(t, b.post("/login", url.Values{"email": {p.Email}, "password": {"wrong password"}}), http.StatusUnauthorized)
	}
	// Locked: even the right password is refused, from any browser at this address.
	want(t, s.browser(t).get("/login"), http.StatusOK)
	locked := b.post("/login", url.Values{"email": {p.Email}, "password": {password}})
	want(t, locked, http.StatusTooManyRequests, "Too many attempts")
	if got := locked.Header.Get("Retry-After"); got != "900" {
		t.Errorf("Retry-After of the lock-out: %q, want 900 (15 minutes)", got)
	}
	s.advance(referral.LoginWindow + time.Second)
	wantRedirect(t, b.post("/login", url.Values{"email": {p.Email}, "password": {password}}), "/app")
}

func TestSessionsExpire(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	// Idle for longer than 12 hours: signed out.
	s.advance(referral.SessionIdle + time.Minute)
	wantRedirect(t, p.Admin.get("/app"), "/login?next=%2Fapp")

	// Used every few hours, a session still ends 7 days after sign-in.
	b := s.signIn(t, p.Email, password)
	for elapsed := time.Duration(0); elapsed < referral.SessionMax-6*time.Hour; elapsed += 6 * time.Hour {
		s.advance(6 * time.Hour)
		want(t, b.get("/app"), http.StatusOK)
	}
	s.advance(6 * time.Hour)
	wantRedirect(t, b.get("/app"), "/login?next=%2Fapp")
}

func TestFrontDeskCannotOpenAdminPages(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	desk := s.frontDesk(t, p)
	home := desk.get("/app")
	want(t, home, http.StatusOK, "Rewards", "Mark a conversion")
	if strings.Contains(home.Body, `href="/app/settings"`) {
		t.Error("front desk sees the Settings link")
	}
	for _, path := range []string{"/app/settings", "/app/staff"} {
		want(t, desk.get(path), http.StatusForbidden, "Only an admin")
	}
	for _, path := range []string{"/app/settings/api-keys", "/app/settings/webhook-secret", "/app/settings/reward", "/app/staff"} {
		want(t, desk.post(path, url.Values{"email": {"x@glow.example"}, "role": {"admin"}}), http.StatusForbidden)
	}
	keys, _ := s.Service.APIKeys(context.Background(), p.Practice)
	staff, _ := s.Service.StaffList(context.Background(), p.Practice)
	if len(keys) != 1 || len(staff) != 2 {
		t.Fatalf("front desk changed things: %d keys, %d staff", len(keys), len(staff))
	}
}

func TestHostileNamesAreEscaped(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	b := s.browser(t)
	token := mustFirstRunToken(t, s)
	b.get("/setup?token=" + token)
	hostile := `<script>alert(1)</script>"'&`
	wantRedirect(t, b.post("/setup", url.Values{"name": {hostile}, "email": {"owner@glow.example"}, "password": {password}, "confirm": {password}, "token": {token}}), "/app")
	home := b.get("/app")
	want(t, home, http.StatusOK, "&lt;script&gt;alert(1)&lt;/script&gt;")
	if strings.Contains(home.Body, "<script>alert") {
		t.Fatal("practice name rendered unescaped")
	}
	login := s.browser(t)
	login.get("/login")
	res := login.post("/login", url.Values{"email": {`"><img src=x onerror=alert(1)>`}, "password": {"x"}})
	if strings.Contains(res.Body, "<img src=x") {
		t.Fatal("email rendered unescaped on the sign-in form")
	}
	if csp := home.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'sha256-") {
		t.Fatalf("CSP %q", csp)
	}
}

// One address guessing passwords across many emails is slowed down, whatever the emails.
func TestSignInsAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	s.mustPractice(t, "Glow") // signs in once, from the same address
	b := s.browser(t)
	b.get("/login")
	wrong := 0
	for i := range dashboard.SignInsPerMinute + 1 {
		email := fmt.Sprintf("someone%d@example.com", i)
		res := b.post("/login", url.Values{"email": {email}, "password": {"Spring2026!"}})
		if res.Status == http.StatusUnauthorized {
			wrong++
			continue
		}
		want(t, res, http.StatusTooManyRequests, "too many sign-in attempts")
		break
	}
	if wrong < dashboard.SignInsPerMinute-3 || wrong >= dashboard.SignInsPerMinute {
		t.Errorf("%d wrong passwords were checked before the limit, want about %d", wrong, dashboard.SignInsPerMinute)
	}
}
