package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
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

	wrong := "x" + csrf[1:]
	if wrong == csrf { // one token in 64 starts with x already
		wrong = "y" + csrf[1:]
	}
	for name, form := range map[string]url.Values{
		"no token":      {"emails": {"off"}},
		"a wrong token": {"emails": {"off"}, "csrf": {wrong}},
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

// The link at the foot of every email stops the practice's emails to that address in one
// click: a mail client's post (RFC 8058) needs no cookie and no page.
func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")
	s.postForm(t, "/r/"+jane.Code, person("Fran Fields", "fran@example.com"))
	janes := s.lastMessage(t, p, referral.AdvocateWelcome, "jane@example.com").Letter.UnsubscribeURL
	frans := s.lastMessage(t, p, referral.FriendWelcome, "fran@example.com").Letter.UnsubscribeURL
	path := s.pathOf(t, janes)
	if !strings.HasPrefix(path, "/p/"+p.Slug+"/unsubscribe?token=") {
		t.Fatalf("the unsubscribe link is %s", janes)
	}

	r := s.get(t, path)
	wantPage(t, r, 200, `<form class="card" method="post" action="/p/`+p.Slug+`/unsubscribe"`,
		`<input type="hidden" name="token" value="`+tokenOf(t, janes)+`">`,
		`<button class="button" type="submit" id="unsubscribe-button">Stop emails from `+p.Name+`</button>`,
		`<meta name="robots" content="noindex">`)
	if got := r.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q on a page whose address holds a token", got)
	}
	s.mustEmailsStopped(t, p, "jane@example.com", false)

	for range 2 { // the same click again changes nothing
		r = s.do(t, "POST", path, strings.NewReader("List-Unsubscribe=One-Click"), "Content-Type", "application/x-www-form-urlencoded")
		wantPage(t, r, 200, `<h2 id="unsubscribe-heading">You won't get more emails from `+p.Name+`</h2>`,
			"If you ask for a link to your page, that email still comes.")
	}
	s.mustEmailsStopped(t, p, "jane@example.com", true)
	s.mustEmailsStopped(t, p, "fran@example.com", false)

	t.Run("a multipart one-click post", func(t *testing.T) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("List-Unsubscribe", "One-Click")
		mw.Close()
		r := s.do(t, "POST", s.pathOf(t, frans), &body, "Content-Type", mw.FormDataContentType())
		wantPage(t, r, 200, "You won't get more emails from")
		s.mustEmailsStopped(t, p, "fran@example.com", true)
	})
	t.Run("the page's button", func(t *testing.T) {
		if err := s.Service.SetAdvocateEmails(t.Context(), p, jane, true); err != nil {
			t.Fatal(err)
		}
		r := s.postForm(t, "/p/"+p.Slug+"/unsubscribe", url.Values{"token": {tokenOf(t, janes)}})
		wantPage(t, r, 200, "You won't get more emails from")
		s.mustEmailsStopped(t, p, "jane@example.com", true)
	})
	t.Run("a wrong or missing token", func(t *testing.T) {
		for _, r := range []*response{
			s.do(t, "POST", "/p/"+p.Slug+"/unsubscribe?token=nope", strings.NewReader("List-Unsubscribe=One-Click"), "Content-Type", "application/x-www-form-urlencoded"),
			s.postForm(t, "/p/"+p.Slug+"/unsubscribe", url.Values{}),
			s.get(t, "/p/"+p.Slug+"/unsubscribe"),
		} {
			wantPage(t, r, 404, "<h1>This unsubscribe link doesn&#39;t work</h1>")
		}
		other := s.mustPractice(t, "Other Spa", referral.PracticeSettings{})
		r := s.do(t, "POST", "/p/"+other.Slug+"/unsubscribe?token="+url.QueryEscape(tokenOf(t, frans)),
			strings.NewReader("List-Unsubscribe=One-Click"), "Content-Type", "application/x-www-form-urlencoded")
		wantPage(t, r, 404, "This unsubscribe link doesn&#39;t work")
	})
}
