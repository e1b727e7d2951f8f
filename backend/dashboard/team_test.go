package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// staffID is the id of p's staff member with email.
func (s *site) staffID(tb testing.TB, p *practice, email string) string {
	tb.Helper()
	list, err := s.Service.StaffList(context.Background(), p.Practice)
	if err != nil {
		tb.Fatal(err)
	}
	for _, st := range list {
		if st.Email == email {
			return st.ID
		}
	}
	tb.Fatalf("no staff member %s", email)
	return ""
}

// emailedLink is the set-password path of the newest message of kind to an address.
func (s *site) emailedLink(tb testing.TB, p *referral.Practice, kind, to string) string {
	tb.Helper()
	list, _, err := s.Service.Messages(context.Background(), p, referral.MessageFilter{}, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range list { // newest first
		if m.Kind == kind && m.To == to {
			return strings.TrimPrefix(m.Letter.SignInURL, s.URL)
		}
	}
	tb.Fatalf("no %s message to %s", kind, to)
	return ""
}

// signedOut tells whether a browser's session is over: the dashboard sends it to sign in.
func signedOut(b *browser) bool {
	p := b.get("/app")
	return p.Status == http.StatusSeeOther && strings.HasPrefix(p.Location, "/login")
}

// An invitation goes to the Mailbox with its link; the colleague sets a password with it.
func TestInvitationIsInTheMailbox(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	p.Admin.get("/app/staff")
	want(t, p.Admin.post("/app/staff", url.Values{"email": {"kim@glow.example"}, "role": {"front_desk"}}), http.StatusOK,
		"waits in the Mailbox", "kim@glow.example")
	want(t, p.Admin.get("/app/mail"), http.StatusOK, "Staff invitation", "kim@glow.example")
	link := s.emailedLink(t, p.Practice, referral.StaffInvite, "kim@glow.example")
	kim := s.browser(t)
	want(t, kim.get(link), http.StatusOK, "kim@glow.example")
	wantRedirect(t, kim.post(link, url.Values{"password": {password}, "confirm": {password}}), "/app")
	want(t, kim.get("/app"), http.StatusOK)
}

// Only an admin changes the team, with the form's CSRF token, and only their own practice's.
func TestTeamChangesAreGuarded(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	other := s.mustPractice(t, "Lumen")
	desk := s.frontDesk(t, p)
	deskID := s.staffID(t, p, "desk@"+p.Slug+".example")
	adminID := s.staffID(t, p, p.Email)
	for _, path := range []string{"/app/staff/" + adminID + "/remove", "/app/staff/" + adminID + "/role"} {
		want(t, desk.post(path, url.Values{"role": {"front_desk"}}), http.StatusForbidden, "Only an admin")
		p.Admin.get("/app/staff")
		want(t, p.Admin.post(path, url.Values{"role": {"front_desk"}, "csrf": {"forged"}}), http.StatusForbidden)
		want(t, other.Admin.post(strings.Replace(path, adminID, deskID, 1), url.Values{"role": {"admin"}}), http.StatusNotFound)
	}
	if signedOut(desk) || signedOut(p.Admin) {
		t.Fatal("a refused change signed someone out")
	}
	list, _ := s.Service.StaffList(context.Background(), p.Practice)
	if len(list) != 2 || list[0].Role != referral.Admin || list[1].Role != referral.FrontDesk {
		t.Fatalf("refused changes changed the team: %+v", list)
	}
}

// A role change or a removal ends the colleague's sessions at once; the last admin stays.
func TestTeamChangesEndSessions(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	desk := s.frontDesk(t, p)
	deskEmail := "desk@" + p.Slug + ".example"
	deskID, adminID := s.staffID(t, p, deskEmail), s.staffID(t, p, p.Email)

	want(t, p.Admin.get("/app/staff"), http.StatusOK, `action="/app/staff/`+deskID+`/remove"`, "(you)")
	want(t, p.Admin.post("/app/staff/"+adminID+"/remove", nil), http.StatusUnprocessableEntity, "only admin")
	p.Admin.get("/app/staff")
	want(t, p.Admin.post("/app/staff/"+adminID+"/role", url.Values{"role": {"front_desk"}}), http.StatusUnprocessableEntity, "only admin")
	p.Admin.get("/app/staff")
	want(t, p.Admin.post("/app/staff/"+deskID+"/role", url.Values{"role": {"owner"}}), http.StatusUnprocessableEntity)

	p.Admin.get("/app/staff")
	wantRedirect(t, p.Admin.post("/app/staff/"+deskID+"/role", url.Values{"role": {"admin"}}), "/app/staff?done=role")
	if !signedOut(desk) {
		t.Fatal("the promoted colleague's old session lives on")
	}
	desk = s.signIn(t, deskEmail, password)
	want(t, desk.get("/app/staff"), http.StatusOK, "Invite")

	// The admin removes themselves, now that there is another admin: signed out at once.
	p.Admin.get("/app/staff")
	wantRedirect(t, p.Admin.post("/app/staff/"+adminID+"/remove", nil), "/login")
	if !signedOut(p.Admin) {
		t.Fatal("a removed admin is still signed in")
	}
	b := s.browser(t)
	b.get("/login")
	want(t, b.post("/login", url.Values{"email": {p.Email}, "password": {password}}), http.StatusUnauthorized)
	want(t, desk.get("/app/staff?done=removed"), http.StatusOK, "Removed")
}

// "Forgot password?" answers the same for every email, sends a one-time link to staff, and the
// new password signs out every session of the account.
func TestForgotPassword(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	other := s.signIn(t, p.Email, password)
	b := s.browser(t)
	want(t, b.get("/login"), http.StatusOK, `href="/login/forgot"`)
	want(t, b.get("/login/forgot"), http.StatusOK, "Email me a link")
	want(t, b.post("/login/forgot", url.Values{"email": {p.Email}, "csrf": {"forged"}}), http.StatusForbidden)
	want(t, b.post("/login/forgot", url.Values{"email": {"not an email"}}), http.StatusUnprocessableEntity, `id="email-error"`)

	answers := map[string]string{}
	for _, email := range []string{"nobody@glow.example", p.Email} {
		b.get("/login/forgot")
		page := b.post("/login/forgot", url.Values{"email": {email}})
		want(t, page, http.StatusOK, "If <strong>"+email+"</strong> has an account")
		answers[email] = strings.ReplaceAll(page.Body, email, "EMAIL")
	}
	if answers[p.Email] != answers["nobody@glow.example"] {
		t.Fatal("the form tells staff emails from others")
	}
	want(t, p.Admin.get("/app/mail"), http.StatusOK, "Password reset")

	link := s.emailedLink(t, p.Practice, referral.PasswordReset, p.Email)
	const fresh = "a fresh new password"
	want(t, b.get(link), http.StatusOK, p.Email)
	wantRedirect(t, b.post(link, url.Values{"password": {fresh}, "confirm": {fresh}}), "/app")
	want(t, b.get("/app"), http.StatusOK)
	if !signedOut(p.Admin) || !signedOut(other) {
		t.Fatal("a session from before the reset lives on")
	}
	want(t, s.browser(t).get(link), http.StatusNotFound)
	s.signIn(t, p.Email, fresh)
}

// The form is limited per address like sign-in, so it cannot be used to mail-bomb or probe.
func TestForgotPasswordIsThrottled(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	b := s.browser(t)
	b.get("/login/forgot")
	var last page
	for range 12 {
		last = b.post("/login/forgot", url.Values{"email": {"someone@glow.example"}})
	}
	want(t, last, http.StatusTooManyRequests)
	if last.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}
