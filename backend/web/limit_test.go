package web_test

import (
	"net/netip"
	"strconv"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/web"
)

// tight allows three requests per client, and none back during a test.
func tight(d *web.Deps) { d.RateLimit, d.Burst = 0.001, 3 }

func wantRetryAfter(tb testing.TB, r *response) {
	tb.Helper()
	if n, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || n < 1 {
		tb.Errorf("Retry-After %q, want whole seconds", r.Header.Get("Retry-After"))
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	s := mustServe(t, tight)
	p := s.mustPractice(t, "Glow Aesthetics", referral.PracticeSettings{})
	for range 3 {
		wantPage(t, s.get(t, "/p/"+p.Slug), 200)
	}

	r := s.get(t, "/p/"+p.Slug)
	wantPage(t, r, 429, "<h1>Please wait a moment</h1>")
	wantRetryAfter(t, r)
	r = s.postForm(t, "/r/NOPE2345", person("Fran", "fran@example.com"))
	wantPage(t, r, 429)

	// Scripts and images are told in a problem, as documented for the widget's endpoint.
	res := s.Client.Post("/p/"+p.Slug+"/advocates", map[string]string{"name": "Jane", "email": "jane@example.com"})
	if res.Status != 429 || res.Problem(t).Slug() != "rate-limited" {
		t.Errorf("widget join past the limit = %d %s", res.Status, res.Body)
	}
	for _, path := range []string{"/widget.js", "/p/" + p.Slug + "/qr.svg"} {
		r := s.get(t, path)
		if r.Status != 429 || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s past the limit = %d %s", path, r.Status, r.Header.Get("Content-Type"))
		}
		wantRetryAfter(t, r)
	}
	if n := len(s.messages(t, p)); n != 0 {
		t.Errorf("%d messages queued past the limit", n)
	}
	// The API's own per-practice limit is separate.
	if r := s.get(t, "/healthz"); r.Status != 200 {
		t.Errorf("GET /healthz = %d", r.Status)
	}
}

// Behind a trusted proxy each client has its own allowance; anyone else's X-Forwarded-For is
// just a header, or every bot would name a new address per request.
func TestRateLimitPerClient(t *testing.T) {
	t.Parallel()
	behindProxy := mustServe(t, tight, func(d *web.Deps) { d.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	for range 3 {
		behindProxy.get(t, "/widget.js", "X-Forwarded-For", "198.51.100.7")
	}
	if r := behindProxy.get(t, "/widget.js", "X-Forwarded-For", "198.51.100.7"); r.Status != 429 {
		t.Errorf("the fourth request of 198.51.100.7 = %d, want 429", r.Status)
	}
	for _, forwarded := range []string{"198.51.100.8", "198.51.100.7, 198.51.100.9", "2001:db8::1", "not-an-address"} {
		if r := behindProxy.get(t, "/widget.js", "X-Forwarded-For", forwarded); r.Status != 200 {
			t.Errorf("X-Forwarded-For %q = %d, want a fresh allowance", forwarded, r.Status)
		}
	}
	// A /64 is one subscriber: after 2001:db8::1 above and ::2 twice, ::3 is its fourth request.
	for range 2 {
		behindProxy.get(t, "/widget.js", "X-Forwarded-For", "2001:db8::2")
	}
	if r := behindProxy.get(t, "/widget.js", "X-Forwarded-For", "2001:db8::3"); r.Status != 429 {
		t.Errorf("the fourth request from 2001:db8::/64 = %d, want 429", r.Status)
	}

	direct := mustServe(t, tight)
	for i := range 4 {
		r := direct.get(t, "/widget.js", "X-Forwarded-For", "198.51.100."+strconv.Itoa(i))
		if want := map[bool]int{true: 429, false: 200}[i == 3]; r.Status != want {
			t.Errorf("request %d with a made-up X-Forwarded-For = %d, want %d", i+1, r.Status, want)
		}
	}
}
