package web_test

import (
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

var glowSettings = referral.PracticeSettings{
	BrandColor:  "#0b6e4f",
	LogoURL:     "https://glow.example/logo.png",
	BookingURL:  "https://book.glow.example/new",
	FriendOffer: referral.FriendOffer{Description: "$25 off your first facial", WelcomeCode: "WELCOME25"},
}

func TestJoinPage(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)

	r := s.get(t, "/p/"+p.Slug)
	wantPage(t, r, 200, "<h1>"+p.Name+"</h1>", `<img class="logo" src="https://glow.example/logo.png" alt="`+p.Name+` logo">`,
		"--brand:#0b6e4f", "they get $25 off your first facial", "earn $50 in service credit",
		`<label for="name">Your name</label>`, `<label for="email">Your email</label>`,
		"We'll email you to confirm. We keep only your name and email, to send you your referral link and rewards.",
		`<button class="button" type="submit" id="join-button">Get my link</button>`, `action="/p/`+p.Slug+`"`,
		`href="/p/`+p.Slug+`/qr.svg"`, `<a href="/p/`+p.Slug+`/me" id="page-link">Your page: see your link and rewards any time</a>`)
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'sha256-") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy = %q, want scripts limited to the page's own", csp)
	}

	t.Run("a slug in capitals finds the practice", func(t *testing.T) {
		wantPage(t, s.get(t, "/p/"+strings.ToUpper(p.Slug)), 200, "<h1>"+p.Name+"</h1>")
	})

	t.Run("without settings: the default colour, no logo, no offer", func(t *testing.T) {
		plain := s.mustPractice(t, "Plain Spa", referral.PracticeSettings{})
		r := s.get(t, "/p/"+plain.Slug)
		wantPage(t, r, 200, "--brand:#6b4eff;--on-brand:#ffffff", "Refer a friend to "+plain.Name+", and earn")
		wantNone(t, r, "<img", "they get")
	})

	t.Run("a pale colour keeps text readable", func(t *testing.T) {
		pale := s.mustPractice(t, "Lemon Spa", referral.PracticeSettings{BrandColor: "#ffe066"})
		wantPage(t, s.get(t, "/p/"+pale.Slug), 200, "--brand:#ffe066;--on-brand:#111111;--ink:#111111")
	})
}

// Joining on the page emails a confirmation: the page says "check your inbox", repeats nothing
// that was typed, and no one is an advocate until they confirm.
func TestJoinThroughPage(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)

	r := s.postForm(t, "/p/"+p.Slug, person("  Jane Park ", " Jane@Example.com"))
	wantPage(t, r, 200, `<section class="card" role="status" aria-labelledby="inbox-heading">`,
		`<h2 id="inbox-heading">Check your inbox</h2>`, "Confirm it to get your referral link",
		"already an advocate of "+p.Name+", it holds a link to your page instead",
		"Check your spam folder", `<a href="/p/`+p.Slug+`/me" id="page-link">Your page: see your link and rewards any time</a>`,
		`<meta name="robots" content="noindex">`)
	wantNone(t, r, "Jane", "jane@example.com", "Get my link", "<script>", "/r/")
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", r.Header.Get("Cache-Control"))
	}
	if n := len(s.advocates(t, p)); n != 0 {
		t.Errorf("%d advocates before the email was confirmed, want none", n)
	}
	m := s.lastMessage(t, p, referral.JoinEmail, "jane@example.com")
	if m.Letter.FirstName != "Jane" || !strings.HasPrefix(m.Letter.SignInURL, s.URL+"/p/"+p.Slug+"/sign-in?token=") {
		t.Errorf("the confirmation = %+v", m.Letter)
	}
}

func TestJoinPageRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", referral.PracticeSettings{})

	r := s.postForm(t, "/p/"+p.Slug, person("Jane <b>Park</b>", "jane-at-example"))
	wantPage(t, r, 422, `role="alert"`, `value="Jane &lt;b&gt;Park&lt;/b&gt;"`, `value="jane-at-example"`,
		`aria-invalid="true" aria-describedby="email-error"`, `<p class="field-error" id="email-error">Your email must be a valid email address.</p>`)
	wantNone(t, r, `aria-describedby="name-error"`, "Check your inbox")

	r = s.postForm(t, "/p/"+p.Slug, person("", ""))
	wantPage(t, r, 422, `id="name-error">Your name is required.`, `id="email-error">Your email is required.`)
	if n := len(s.messages(t, p)); n != 0 {
		t.Errorf("%d messages after refused forms, want none", n)
	}

	t.Run("text no one types is refused, as by the API", func(t *testing.T) {
		r := s.postForm(t, "/p/"+p.Slug, person("Ja\x00ne\xff", "ja\x00ne@example.com"))
		wantPage(t, r, 422, `id="name-error">Your name must be UTF-8 text without NUL characters.</p>`,
			`id="email-error">Your email must be UTF-8 text without NUL characters.</p>`)
		if n := len(s.messages(t, p)); n != 0 {
			t.Errorf("%d messages after a refused form, want none", n)
		}
	})
}
