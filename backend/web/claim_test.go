package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func TestInvitationPage(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Avery Park", "jane.secret@example.com")

	for _, code := range []string{jane.Code, strings.ToLower(jane.Code)} {
		r := s.get(t, "/r/"+code)
		wantPage(t, r, 200, "<h1>Jane invited you to "+p.Name+"</h1>", "$25 off your first facial",
			`<label for="name">Your name</label>`, `<label for="email">Your email</label>`,
			`<button class="button" type="submit" id="claim-button">Claim my offer</button>`,
			"to email you this offer and so that "+p.Name+" knows Jane sent you",
			`<meta name="robots" content="noindex">`, `alt="`+p.Name+` logo"`)
		wantNone(t, r, "jane.secret", "Avery", "WELCOME25", "Book now")
	}
}

// A claim is thanked the same way whoever claims; the welcome code goes only by email, to a
// friend whose claim counted, while the offer and the booking link are on the page at once.
func TestClaim(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")

	r := s.postForm(t, "/r/"+strings.ToLower(jane.Code), person("Fran Fields", " Fran@Example.com "))
	wantPage(t, r, 200, `<section class="card" role="status" aria-labelledby="done-heading">`,
		`<h2 id="done-heading">Thank you! Check your inbox</h2>`, "We've emailed you your welcome offer",
		"<strong>$25 off your first facial</strong>",
		`<a class="button" href="https://book.glow.example/new" id="book-button">Book now</a>`)
	wantNone(t, r, "jane@example.com", "Claim my offer", "WELCOME25", "Fran", "fran@example.com")
	got := s.referrals(t, p)
	if len(got) != 1 || got[0].FriendEmail != "fran@example.com" || got[0].FriendName != "Fran Fields" ||
		got[0].AdvocateID != jane.ID || got[0].Source != referral.SourceLink {
		t.Fatalf("referrals = %+v, want Fran's through Jane's link", got)
	}
	if m := s.lastMessage(t, p, referral.FriendWelcome, "fran@example.com"); m.Letter.WelcomeCode != "WELCOME25" {
		t.Errorf("Fran's welcome = %+v, want the welcome code", m.Letter)
	}

	t.Run("the same claim again is thanked again, and counted once", func(t *testing.T) {
		again := s.postForm(t, "/r/"+jane.Code, person("Fran Fields", " Fran@Example.com "))
		if again.Status != r.Status || again.Body != r.Body {
			t.Errorf("the same claim again answers differently:\n%s", again.Body)
		}
		if n := len(s.referrals(t, p)); n != 1 {
			t.Errorf("%d referrals, want 1", n)
		}
	})

	t.Run("no offer and no booking link: neither is shown", func(t *testing.T) {
		plain := s.mustPractice(t, "Plain Spa", referral.PracticeSettings{})
		kim := s.mustAdvocate(t, plain, "Kim", "kim@example.com")
		r := s.get(t, "/r/"+kim.Code)
		wantPage(t, r, 200, "<h1>Kim invited you to "+plain.Name+"</h1>", "Claim your invitation, then book your first visit.")
		r = s.postForm(t, "/r/"+kim.Code, person("Gus", "gus@example.com"))
		wantPage(t, r, 200, "Thank you! Check your inbox", "We've emailed you your invitation",
			"Book your first visit with "+plain.Name+", and mention that Kim sent you.")
		wantNone(t, r, "Book now", "Your offer")
	})
}

func TestClaimRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")

	r := s.postForm(t, "/r/"+jane.Code, person("", "fran@"))
	wantPage(t, r, 422, `role="alert"`, `value="fran@"`,
		`aria-invalid="true" aria-describedby="name-error"`, `id="name-error">Your name is required.</p>`,
		`aria-invalid="true" aria-describedby="email-error"`, `id="email-error">Your email must be a valid email address.</p>`)
	wantNone(t, r, "Check your inbox")
	if n := len(s.referrals(t, p)); n != 0 {
		t.Errorf("%d referrals, want none", n)
	}

	t.Run("a form that cannot be read", func(t *testing.T) {
		r := s.do(t, "POST", "/r/"+jane.Code, strings.NewReader("name=%zz"), "Content-Type", "application/x-www-form-urlencoded")
		wantPage(t, r, 400, "We couldn&#39;t read that form")
	})
	t.Run("text no one types is refused, as by the API", func(t *testing.T) {
		r := s.postForm(t, "/r/"+jane.Code, url.Values{"name": {"Gus\x00"}, "email": {"gus@example.com\xff"}})
		wantPage(t, r, 422, `id="name-error">Your name must be UTF-8 text without NUL characters.</p>`,
			`id="email-error">Your email must be UTF-8 text without NUL characters.</p>`)
		if got := s.referrals(t, p); len(got) != 0 {
			t.Errorf("referrals = %+v", got)
		}
	})
}
