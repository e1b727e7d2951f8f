package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// sessionOf is the advocate session a response sets, as a Cookie header; it fails the test
// when there is none.
func sessionOf(tb testing.TB, r *response) (cookie string, c *http.Cookie) {
	tb.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "al_advocate" && c.Value != "" {
			return c.Name + "=" + c.Value, c
		}
	}
	tb.Fatalf("no advocate session is set: %v", r.Header.Values("Set-Cookie"))
	return "", nil
}

// mustSignIn signs email's advocate in the way they would: the form, the emailed link, its
// button. It returns the Cookie header that carries their session.
func (s *site) mustSignIn(tb testing.TB, p *referral.Practice, email string) string {
	tb.Helper()
	wantPage(tb, s.postForm(tb, "/p/"+p.Slug+"/me", url.Values{"email": {email}}), 200, "Check your inbox")
	link := s.lastMessage(tb, p, referral.SignInEmail, email).Letter.SignInURL
	r := s.postForm(tb, "/p/"+p.Slug+"/sign-in", url.Values{"token": {tokenOf(tb, link)}})
	if r.Status != http.StatusSeeOther {
		tb.Fatalf("using the link = %d\n%s", r.Status, r.Body)
	}
	cookie, _ := sessionOf(tb, r)
	return cookie
}

func wantNoCookie(tb testing.TB, r *response) {
	tb.Helper()
	if c := r.Header.Values("Set-Cookie"); len(c) != 0 {
		tb.Errorf("the answer sets %v", c)
	}
}

// csrfOf is the CSRF token of a signed-in page's forms.
func csrfOf(tb testing.TB, r *response) string {
	tb.Helper()
	const field = `<input type="hidden" name="csrf" value="`
	i := strings.Index(r.Body, field)
	if i < 0 {
		tb.Fatalf("the page has no CSRF token\n%s", r.Body)
	}
	v := r.Body[i+len(field):]
	return v[:strings.Index(v, `"`)]
}

// setClock sets the service's clock to at, from where it runs on.
func (s *site) setClock(at time.Time) { s.ahead.Store(int64(time.Until(at))) }

// An advocate signs in with an emailed link and sees their link and rewards, in the practice's
// time zone and currency, and nothing of the friends who earned them.
func TestSignInFlow(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	// Three in the morning UTC is the evening before in New York, the practice's time zone.
	tomorrow := time.Now().UTC().AddDate(0, 0, 1)
	s.setClock(time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 3, 0, 0, 0, time.UTC))
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")
	me := "/p/" + p.Slug + "/me"

	signedOut := s.get(t, me)
	wantPage(t, signedOut, 200, "<h1>Your referral page</h1>", `<form class="card" method="post" action="/p/`+p.Slug+`/me"`,
		`<h2 id="sign-in-heading">Get a link to your page</h2>`, "We'll email you a link to your page. It works once, within 30 minutes.",
		`<label for="email">Your email</label>`, `<button class="button" type="submit" id="sign-in-button">Email me a link</button>`,
		`<meta name="robots" content="noindex">`)
	wantNone(t, signedOut, `id="name"`, jane.Code)

	// A friend claims Jane's link and pays: Jane earns a reward.
	wantPage(t, s.postForm(t, "/r/"+jane.Code, person("Fran Fields", "fran@example.com")), 200, "Check your inbox")
	res, err := s.Service.RecordConversion(t.Context(), p, referral.PaymentEvent{InvoiceID: "INV-1",
		Email: "fran@example.com", Name: "Fran Fields", Amount: "250.00"})
	if err != nil || res.Conversion == nil || res.Conversion.Reward == nil {
		t.Fatalf("conversion = %+v, %v", res, err)
	}
	reward := res.Conversion.Reward
	issued := reward.IssuedAt.In(p.Location()).Format("Jan 2, 2006")
	if utc := reward.IssuedAt.UTC().Format("Jan 2, 2006"); utc == issued {
		t.Fatalf("the reward's date is %s in UTC and in New York: the test cannot tell them apart", utc)
	}

	r := s.postForm(t, me, url.Values{"email": {" Jane@Example.com "}, "website": {""}})
	wantPage(t, r, 200, `<section class="card" role="status" aria-labelledby="inbox-heading">`, `<h2 id="inbox-heading">Check your inbox</h2>`,
		"If this email belongs to an advocate of "+p.Name+", we've sent a link to your page.")
	wantNone(t, r, "jane", "Jane")
	wantNoCookie(t, r)
	link := s.lastMessage(t, p, referral.SignInEmail, "jane@example.com").Letter.SignInURL
	path, token := s.pathOf(t, link), tokenOf(t, link)
	if !strings.HasPrefix(path, "/p/"+p.Slug+"/sign-in?token=") {
		t.Fatalf("the link is %s", link)
	}

	t.Run("opening the link spends nothing", func(t *testing.T) {
		for range 2 {
			r := s.get(t, path)
			wantPage(t, r, 200, `<form class="card" method="post" action="/p/`+p.Slug+`/sign-in"`,
				`<input type="hidden" name="token" value="`+token+`">`, `<h2 id="link-heading">Open your referral page</h2>`,
				`<button class="button" type="submit" id="use-link-button">Open my page</button>`, `<meta name="robots" content="noindex">`)
			if got := r.Header.Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy %q on a page whose address holds a token", got)
			}
			wantNoCookie(t, r)
		}
	})

	r = s.postForm(t, "/p/"+p.Slug+"/sign-in", url.Values{"token": {token}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != me {
		t.Fatalf("using the link = %d to %q", r.Status, r.Header.Get("Location"))
	}
	cookie, c := sessionOf(t, r)
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/p/"+p.Slug || c.Secure ||
		c.MaxAge != int(referral.AdvocateSessionLifetime/time.Second) {
		t.Errorf("the session cookie is %s", r.Header.Get("Set-Cookie"))
	}

	page := s.get(t, me, "Cookie", cookie)
	wantPage(t, page, 200, "<h1>Your referral page</h1>", "Hi Jane.",
		`<input id="referral-link" type="text" readonly value="`+jane.URL+`">`, `<strong class="code">`+jane.Code+`</strong>`,
		`<img class="qr" src="/r/`+jane.Code+`/qr.svg"`, ">WhatsApp</a>", "<script>",
		`<h2 id="rewards-heading">Your rewards</h2>`, "<strong>$50</strong> in service credit, "+issued,
		`Code <strong class="code">`+reward.Code+`</strong>`, `<span class="reward-status">Issued</span>`,
		`<button class="button" type="submit" id="emails-button">Stop emails</button>`,
		`<button class="button secondary" type="submit" id="sign-out-button">Sign out</button>`,
		`<meta name="robots" content="noindex">`)
	wantNone(t, page, "Fran", "fran@", "250.00", "Email me a link")
	if page.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q on a personal page", page.Header.Get("Cache-Control"))
	}
	if qr := s.get(t, "/r/"+jane.Code+"/qr.svg"); qr.Status != 200 {
		t.Errorf("the QR code answers %d", qr.Status)
	}

	t.Run("a refund voids the reward on the page", func(t *testing.T) {
		if _, err := s.Service.ReverseConversion(t.Context(), p, referral.RefundEvent{InvoiceID: "INV-1"}); err != nil {
			t.Fatal(err)
		}
		r := s.get(t, me, "Cookie", cookie)
		wantPage(t, r, 200, `Code <strong class="code">`+reward.Code+`</strong> · <span class="reward-status">Voided</span>`)
		wantNone(t, r, "Fran", ">Issued<")
	})

	t.Run("the link works once", func(t *testing.T) {
		for _, r := range []*response{s.postForm(t, "/p/"+p.Slug+"/sign-in", url.Values{"token": {token}}), s.get(t, path)} {
			wantPage(t, r, 404, `<h2 id="spent-heading">This link has expired</h2>`, `action="/p/`+p.Slug+`/me"`, `id="sign-in-button"`)
			wantNone(t, r, jane.Code)
			wantNoCookie(t, r)
		}
		// Tapped twice by someone it signed in: their page.
		r := s.postForm(t, "/p/"+p.Slug+"/sign-in", url.Values{"token": {token}}, "Cookie", cookie)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != me {
			t.Errorf("the spent link of a signed-in advocate = %d to %q", r.Status, r.Header.Get("Location"))
		}
	})

	t.Run("a slug in capitals leads to the page the cookie is for", func(t *testing.T) {
		r := s.get(t, "/p/"+strings.ToUpper(p.Slug)+"/me", "Cookie", cookie)
		if r.Status != http.StatusMovedPermanently || r.Header.Get("Location") != me {
			t.Errorf("GET in capitals = %d to %q", r.Status, r.Header.Get("Location"))
		}
	})

	t.Run("signing out ends the session", func(t *testing.T) {
		csrf := csrfOf(t, s.get(t, me, "Cookie", cookie))
		r := s.postForm(t, me+"/sign-out", url.Values{}, "Cookie", cookie)
		wantPage(t, r, 403, "This form has expired")
		wantPage(t, s.get(t, me, "Cookie", cookie), 200, "Hi Jane.")

		r = s.postForm(t, me+"/sign-out", url.Values{"csrf": {csrf}}, "Cookie", cookie)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != me ||
			!strings.Contains(r.Header.Get("Set-Cookie"), "al_advocate=;") || !strings.Contains(r.Header.Get("Set-Cookie"), "Max-Age=0") {
			t.Errorf("sign out = %d to %q, Set-Cookie %q", r.Status, r.Header.Get("Location"), r.Header.Get("Set-Cookie"))
		}
		r = s.get(t, me, "Cookie", cookie)
		wantPage(t, r, 200, "Email me a link")
		wantNone(t, r, "Hi Jane", jane.Code)
	})
}

// A session ends by itself, and opens only its own practice's page.
func TestAdvocateSessionLimits(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	glow := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	other := s.mustPractice(t, "Other Spa", referral.PracticeSettings{})
	s.mustAdvocate(t, glow, "Jane Park", "jane@example.com")
	s.mustAdvocate(t, other, "Jane Park", "jane@example.com")
	atOther := s.mustSignIn(t, other, "jane@example.com")
	wantPage(t, s.get(t, "/p/"+other.Slug+"/me", "Cookie", atOther), 200, "Hi Jane.")

	r := s.get(t, "/p/"+glow.Slug+"/me", "Cookie", atOther)
	wantPage(t, r, 200, "Email me a link")
	wantNone(t, r, "Hi Jane")
	r = s.postForm(t, "/p/"+glow.Slug+"/me/emails", url.Values{"emails": {"off"}, "csrf": {"x"}}, "Cookie", atOther)
	if r.Status != http.StatusSeeOther {
		t.Errorf("another practice's session posting here = %d, want sent to sign in", r.Status)
	}
	if stopped, _ := s.Service.EmailsStopped(t.Context(), glow, "jane@example.com"); stopped {
		t.Error("another practice's session stopped this practice's emails")
	}

	s.advance(referral.AdvocateSessionLifetime + time.Minute)
	wantPage(t, s.get(t, "/p/"+other.Slug+"/me", "Cookie", atOther), 200, "Email me a link")
}

// Links expire: a sign-in link within half an hour, a join confirmation within a day.
func TestLinksExpire(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	s.mustAdvocate(t, p, "Jane Park", "jane@example.com")
	s.postForm(t, "/p/"+p.Slug+"/me", url.Values{"email": {"jane@example.com"}})
	s.postForm(t, "/p/"+p.Slug, person("Kim Lee", "kim@example.com"))
	signIn := s.pathOf(t, s.lastMessage(t, p, referral.SignInEmail, "jane@example.com").Letter.SignInURL)
	join := s.pathOf(t, s.lastMessage(t, p, referral.JoinEmail, "kim@example.com").Letter.SignInURL)

	s.advance(referral.SignInLinkLifetime + time.Minute)
	wantPage(t, s.get(t, signIn), 404, "This link has expired")
	wantPage(t, s.get(t, join), 200, "Confirm and get my link")

	s.advance(referral.JoinLinkLifetime)
	wantPage(t, s.get(t, join), 404, "This link has expired", "Not an advocate yet?")
	r := s.postForm(t, "/p/"+p.Slug+"/sign-in", url.Values{"token": {tokenOf(t, join)}})
	wantPage(t, r, 404, "This link has expired")
	if n := len(s.advocates(t, p)); n != 1 {
		t.Errorf("%d advocates: an expired confirmation made one", n)
	}
}

// Confirming a join makes the advocate and signs them in; the link works once.
func TestJoinLink(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	wantPage(t, s.postForm(t, "/p/"+p.Slug, person("Kim Lee", "Kim@Example.com")), 200, "Check your inbox")
	link := s.lastMessage(t, p, referral.JoinEmail, "kim@example.com").Letter.SignInURL
	token := tokenOf(t, link)

	for range 2 {
		wantPage(t, s.get(t, s.pathOf(t, link)), 200, `<h2 id="link-heading">Confirm your email</h2>`,
			`<button class="button" type="submit" id="use-link-button">Confirm and get my link</button>`)
	}
	if n := len(s.advocates(t, p)); n != 0 {
		t.Fatalf("%d advocates before the button", n)
	}
	r := s.postForm(t, "/p/"+p.Slug+"/sign-in", url.Values{"token": {token}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/p/"+p.Slug+"/me" {
		t.Fatalf("confirming = %d to %q\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	cookie, _ := sessionOf(t, r)
	list := s.advocates(t, p)
	if len(list) != 1 || list[0].Email != "kim@example.com" || list[0].Name != "Kim Lee" {
		t.Fatalf("advocates = %+v, want Kim", list)
	}
	kim := list[0]
	wantPage(t, s.get(t, "/p/"+p.Slug+"/me", "Cookie", cookie), 200, "Hi Kim.", `value="`+kim.URL+`"`,
		"No rewards yet. When a friend you invited pays for their first visit, you earn $50 in service credit.")
	s.lastMessage(t, p, referral.AdvocateWelcome, "kim@example.com")

	wantPage(t, s.postForm(t, "/p/"+p.Slug+"/sign-in", url.Values{"token": {token}}), 404, "This link has expired")
	if n := len(s.advocates(t, p)); n != 1 {
		t.Errorf("%d advocates after the link was used twice", n)
	}
}

// The free plan's 101st advocate is told kindly, and their link waits until there is room.
func TestJoinLinkPastPlanLimit(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Full Spa", referral.PracticeSettings{})
	var first *referral.Advocate
	for i := range referral.FreeAdvocateLimit {
		a := s.mustAdvocate(t, p, "Patient", fmt.Sprintf("patient%d@example.com", i))
		if first == nil {
			first = a
		}
	}
	wantPage(t, s.postForm(t, "/p/"+p.Slug, person("Late Comer", "late@example.com")), 200, "Check your inbox")
	link := s.lastMessage(t, p, referral.JoinEmail, "late@example.com").Letter.SignInURL
	use := func() *response {
		return s.postForm(t, "/p/"+p.Slug+"/sign-in", url.Values{"token": {tokenOf(t, link)}})
	}

	r := use()
	wantPage(t, r, 402, "<h1>The referral program is full right now</h1>", "Please ask the front desk.")
	wantNoCookie(t, r)
	late := func() []referral.Advocate {
		list, _, err := s.Service.Advocates(t.Context(), p, referral.AdvocateFilter{Email: "late@example.com"}, referral.Page{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	if list := late(); len(list) != 0 {
		t.Errorf("the late comer joined past the limit: %+v", list)
	}
	wantPage(t, s.get(t, s.pathOf(t, link)), 200, "Confirm and get my link")

	disabled := referral.Disabled
	if _, err := s.Service.UpdateAdvocate(t.Context(), p, first.ID, referral.AdvocateChange{Status: &disabled}); err != nil {
		t.Fatal(err)
	}
	if r := use(); r.Status != http.StatusSeeOther {
		t.Fatalf("the link once there is room = %d\n%s", r.Status, r.Body)
	}
	if list := late(); len(list) != 1 || list[0].Name != "Late Comer" {
		t.Errorf("advocates = %+v, want the late comer once there is room", list)
	}
}

// A disabled advocate still has their page and rewards, but no link to share.
func TestPausedAdvocatePage(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	dan := s.mustAdvocate(t, p, "Dan Dorsey", "dan@example.com")
	disabled := referral.Disabled
	if _, err := s.Service.UpdateAdvocate(t.Context(), p, dan.ID, referral.AdvocateChange{Status: &disabled}); err != nil {
		t.Fatal(err)
	}
	r := s.get(t, "/p/"+p.Slug+"/me", "Cookie", s.mustSignIn(t, p, "dan@example.com"))
	wantPage(t, r, 200, "Hi Dan.", `<h2 id="link-heading">Your referral link is paused</h2>`, "Your rewards", "Stop emails")
	wantNone(t, r, dan.Code, "referral-link", "WhatsApp", "<script>")
}
