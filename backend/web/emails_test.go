package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func (s *site) mustEmailsStopped(tb testing.TB, p *referral.Practice, email string, want bool) {
	tb.Helper()
	stopped, err := s.Service.EmailsStopped(tb.Context(), p, email)
	if err != nil {
		tb.Fatal(err)
	}
	if stopped != want {
		tb.Errorf("emails to %s stopped: %v, want %v", email, stopped, want)
	}
}

// An advocate stops and resumes the practice's emails from their page; a form without the
// session's CSRF token changes nothing.
func TestEmailsFromAdvocatePage(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	s.mustAdvocate(t, p, "Jane Park", "jane@example.com")
	me := "/p/" + p.Slug + "/me"
	cookie := s.mustSignIn(t, p, "jane@example.com")
	page := s.get(t, me, "Cookie", cookie)
	wantPage(t, page, 200, `<form method="post" action="/p/`+p.Slug+`/me/emails">`, `<input type="hidden" name="emails" value="off">`,
		`<p id="emails-state">`+p.Name+` emails you about your rewards.</p>`)
	csrf := csrfOf(t, page)

	for name, form := range map[string]url.Values{
		"no token":      {"emails": {"off"}},
		"a wrong token": {"emails": {"off"}, "csrf": {"x" + csrf[1:]}},
	} {
		t.Run(name, func(t *testing.T) {
			wantPage(t, s.postForm(t, me+"/emails", form, "Cookie", cookie), 403, "<h1>This form has expired</h1>", `href="`+me+`"`)
			s.mustEmailsStopped(t, p, "jane@example.com", false)
		})
	}
	t.Run("signed out: sent to sign in, nothing changed", func(t *testing.T) {
		r := s.postForm(t, me+"/emails", url.Values{"emails": {"off"}, "csrf": {csrf}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != me {
			t.Errorf("= %d to %q", r.Status, r.Header.Get("Location"))
		}
		s.mustEmailsStopped(t, p, "jane@example.com", false)
	})

	r := s.postForm(t, me+"/emails", url.Values{"emails": {"off"}, "csrf": {csrf}}, "Cookie", cookie)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != me {
		t.Fatalf("stopping = %d to %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	s.mustEmailsStopped(t, p, "jane@example.com", true)
	wantPage(t, s.get(t, me, "Cookie", cookie), 200, "You stopped emails from "+p.Name,
		`<input type="hidden" name="emails" value="on">`, `id="emails-button">Resume emails</button>`)

	s.postForm(t, me+"/emails", url.Values{"emails": {"on"}, "csrf": {csrf}}, "Cookie", cookie)
	s.mustEmailsStopped(t, p, "jane@example.com", false)
	wantPage(t, s.postForm(t, me+"/emails", url.Values{"emails": {"maybe"}, "csrf": {csrf}}, "Cookie", cookie), 400)
}
