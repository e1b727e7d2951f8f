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
			">Claim my offer</button>", `<meta name="robots" content="noindex">`, `alt="`+p.Name+` logo"`)
		wantNone(t, r, "jane.secret", "Avery", "WELCOME25", "Book now")
	}
}

func TestClaim(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")

	r := s.postForm(t, "/r/"+strings.ToLower(jane.Code), person("Fran Fields", " Fran@Example.com "))
	wantPage(t, r, 200, `<section class="card" role="status" aria-labelledby="done-heading">`,
		`<h2 id="done-heading">You're in!</h2>`, `<strong class="code">WELCOME25</strong>`,
		`<a class="button" href="https://book.glow.example/new">Book now</a>`)
	wantNone(t, r, "jane@example.com", "Claim my offer")
	got := s.referrals(t, p)
	if len(got) != 1 || got[0].FriendEmail != "fran@example.com" || got[0].FriendName != "Fran Fields" ||
		got[0].AdvocateID != jane.ID || got[0].Source != referral.SourceLink {
		t.Fatalf("referrals = %+v, want Fran's through Jane's link", got)
	}

	t.Run("the same claim again is confirmed again", func(t *testing.T) {
		wantPage(t, s.postForm(t, "/r/"+jane.Code, person("Fran", "fran@example.com")), 200, "You're in!")
		if n := len(s.referrals(t, p)); n != 1 {
			t.Errorf("%d referrals, want 1", n)
		}
	})

	t.Run("no welcome code and no booking link: neither is shown", func(t *testing.T) {
		plain := s.mustPractice(t, "Plain Spa", referral.PracticeSettings{})
		kim := s.mustAdvocate(t, plain, "Kim", "kim@example.com")
		r := s.get(t, "/r/"+kim.Code)
		wantPage(t, r, 200, "<h1>Kim invited you to "+plain.Name+"</h1>", "Claim your invitation, then book your first visit.")
		r = s.postForm(t, "/r/"+kim.Code, person("Gus", "gus@example.com"))
		wantPage(t, r, 200, "You're in!")
		wantNone(t, r, "Book now", "welcome code")
	})
}

// Who the friend is can stop a claim: each reason gets its own friendly words, on a page
// that keeps what the friend typed, and never shows the advocate's email.
func TestClaimRefusals(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")
	kim := s.mustAdvocate(t, p, "Kim Kerr", "kim@example.com")
	wantPage(t, s.postForm(t, "/r/"+kim.Code, person("Fran Fields", "fran@example.com")), 200, "You're in!")

	for _, tc := range []struct {
		name, friend, email, message string
	}{
		{"self-referral", "Jane Park", "JANE@example.com", "You can&#39;t refer yourself"},
		{"already referred", "Fran Fields", "fran@example.com", "was already invited by someone else"},
		{"existing patient", "Kim Kerr", "kim@example.com", "already a patient of " + p.Name},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.postForm(t, "/r/"+jane.Code, person(tc.friend, tc.email))
			wantPage(t, r, 200, `<p class="alert" role="alert">`, tc.message, `value="`+tc.friend+`"`,
				`value="`+tc.email+`"`, ">Claim my offer</button>")
			wantNone(t, r, "You're in!", "jane@example.com", "WELCOME25")
		})
	}
	if n := len(s.referrals(t, p)); n != 1 {
		t.Errorf("%d referrals, want only Fran's", n)
	}
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
	wantNone(t, r, "You're in!")
	if n := len(s.referrals(t, p)); n != 0 {
		t.Errorf("%d referrals, want none", n)
	}

	t.Run("a form that cannot be read", func(t *testing.T) {
		r := s.do(t, "POST", "/r/"+jane.Code, strings.NewReader("name=%zz"), "Content-Type", "application/x-www-form-urlencoded")
		wantPage(t, r, 400, "We couldn&#39;t read that form")
	})
	t.Run("a name the database could not store", func(t *testing.T) {
		r := s.postForm(t, "/r/"+jane.Code, url.Values{"name": {"Gus\x00"}, "email": {"gus@example.com"}})
		wantPage(t, r, 200, "You're in!")
	})
}
