package web_test

import (
	"fmt"
	"html"
	"net/url"
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
		"--brand:#0b6e4f", "they get $25 off your first facial", "earn 50.00 USD in service credit",
		`<label for="name">Your name</label>`, `<label for="email">Your email</label>`, "only your name and email",
		">Get my link</button>", `action="/p/`+p.Slug+`"`, `href="/p/`+p.Slug+`/qr.svg"`)
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

func TestJoinThroughPage(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)

	r := s.postForm(t, "/p/"+p.Slug, person("  Jane Park ", " Jane@Example.com"))
	listed := s.advocates(t, p)
	if len(listed) != 1 || listed[0].Email != "jane@example.com" || listed[0].Name != "Jane Park" {
		t.Fatalf("advocates = %+v, want Jane", listed)
	}
	jane := listed[0]
	link := s.URL + "/r/" + jane.Code
	message := url.QueryEscape("I think you'd love " + p.Name + "! Use my link to get $25 off your first facial: " + link)
	message = strings.ReplaceAll(message, "+", "%20")
	wantPage(t, r, 200, `<h2 id="link-heading">Your referral link</h2>`, `<label for="referral-link">Your referral link</label>`,
		`<input id="referral-link" type="text" readonly value="`+link+`">`, ">Copy link</button>",
		`<strong class="code">`+jane.Code+`</strong>`,
		`<a href="sms:?&amp;body=`+message+`">Text</a>`,
		`<a href="https://wa.me/?text=`+message+`">WhatsApp</a>`, `>Email</a>`,
		`<img class="qr" src="/r/`+jane.Code+`/qr.svg" alt="QR code for your referral link"`,
		"<script>")
	wantNone(t, r, "jane@example.com", "Get my link")

	t.Run("the same email again shows the same link", func(t *testing.T) {
		r := s.postForm(t, "/p/"+p.Slug, person("Jane P.", "JANE@example.com"))
		wantPage(t, r, 200, `value="`+link+`"`)
		if n := len(s.advocates(t, p)); n != 1 {
			t.Errorf("%d advocates, want 1", n)
		}
	})

	t.Run("the link leads to the friend page", func(t *testing.T) {
		wantPage(t, s.get(t, "/r/"+jane.Code), 200, "Jane invited you to "+p.Name)
	})
}

func TestJoinPageRefusesBadInput(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", referral.PracticeSettings{})

	r := s.postForm(t, "/p/"+p.Slug, person("Jane <b>Park</b>", "jane-at-example"))
	wantPage(t, r, 422, `role="alert"`, `value="Jane &lt;b&gt;Park&lt;/b&gt;"`, `value="jane-at-example"`,
		`aria-invalid="true" aria-describedby="email-error"`, `<p class="field-error" id="email-error">Your email must be a valid email address.</p>`)
	wantNone(t, r, `aria-describedby="name-error"`, "Your referral link")

	r = s.postForm(t, "/p/"+p.Slug, person("", ""))
	wantPage(t, r, 422, `id="name-error">Your name is required.`, `id="email-error">Your email is required.`)

	t.Run("text no one types is dropped, not stored", func(t *testing.T) {
		r := s.postForm(t, "/p/"+p.Slug, person("Ja\x00ne\xff", "ja\x00ne@example.com"))
		wantPage(t, r, 200, "Your referral link")
		if got := s.advocates(t, p); len(got) != 1 || got[0].Name != "Jane" || got[0].Email != "jane@example.com" {
			t.Errorf("advocates = %+v", got)
		}
	})
	if n := len(s.advocates(t, p)); n != 1 {
		t.Errorf("%d advocates after the refusals, want only the cleaned-up one", n)
	}
}

// The free plan's 101st advocate is told kindly on the page, and as plan-limit to the widget.
func TestJoinPastPlanLimit(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Full Spa", referral.PracticeSettings{})
	for i := range referral.FreeAdvocateLimit {
		s.mustAdvocate(t, p, "Patient", fmt.Sprintf("patient%d@example.com", i))
	}

	r := s.postForm(t, "/p/"+p.Slug, person("Late Comer", "late@example.com"))
	wantPage(t, r, 200, `<p class="alert" role="alert">`+html.EscapeString(p.Name)+`&#39;s referral program is full right now`,
		`value="Late Comer"`, `value="late@example.com"`)

	res := s.Client.Post("/p/"+p.Slug+"/advocates", map[string]string{"name": "Late Comer", "email": "late@example.com"})
	if res.Status != 402 || res.Problem(t).Slug() != "plan-limit" {
		t.Errorf("widget join past the limit = %d %s, want 402 plan-limit", res.Status, res.Body)
	}
	if n := len(s.advocates(t, p)); n != referral.FreeAdvocateLimit {
		t.Errorf("%d advocates, want %d", n, referral.FreeAdvocateLimit)
	}
}
