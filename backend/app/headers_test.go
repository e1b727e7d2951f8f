package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/config"
)

// TestEverySurfaceSendsTheSecurityHeaders: API answers good and bad, the documentation, the
// patient pages, the widget and the dashboard all carry the baseline, with HSTS only when the
// public URL is https, while each page's own policy stands whole.
func TestEverySurfaceSendsTheSecurityHeaders(t *testing.T) {
	t.Parallel()
	for _, public := range []string{"https://refer.example.com", "http://localhost:8080"} {
		t.Run(public, func(t *testing.T) {
			t.Parallel()
			s := mustServe(t, func(c *config.Config) { c.PublicURL = public })
			pr := s.mustPractice(t, "Glow Headers")
			answers := map[string]http.Header{
				"API success":      mustDo(t, pr.Client, "GET", "/v1/me", nil, 200, nil).Header,
				"API error":        mustDo(t, pr.Client, "GET", "/v1/advocates/adv_missing", nil, 404, nil).Header,
				"API without key":  mustDo(t, s.Client, "GET", "/v1/me", nil, 401, nil).Header,
				"unknown address":  s.Client.For(t).WithoutRequestCheck().Get("/v1/nothing-here").Header,
				"docs":             mustDo(t, s.Client, "GET", "/docs", nil, 200, nil).Header,
				"openapi.yaml":     mustDo(t, s.Client, "GET", "/openapi.yaml", nil, 200, nil).Header,
				"problem link":     mustDo(t, s.Client, "GET", "/problems/validation-failed", nil, 302, nil).Header,
				"widget's join":    mustDo(t, s.Client.WithHeader("Origin", public), "POST", "/p/"+pr.Slug+"/advocates", map[string]string{"name": "Jane", "email": "jane@example.com"}, 202, nil).Header,
				"patient page":     get(t, s, "/p/"+pr.Slug, 200),
				"patient 404 page": get(t, s, "/r/NOPE2345", 404),
				"widget.js":        get(t, s, "/widget.js", 200),
				"sign-in page":     get(t, s, "/login", 200),
				"dashboard":        get(t, s, "/app", 303),
			}
			for what, h := range answers {
				if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("%s: X-Content-Type-Options %q, want nosniff", what, got)
				}
				if got := h.Get("Referrer-Policy"); got == "" {
					t.Errorf("%s: no Referrer-Policy", what)
				}
				if xfo, csp := h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"); xfo != "DENY" || !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("%s: X-Frame-Options %q, Content-Security-Policy %q: other sites may frame it", what, xfo, csp)
				}
				hsts := h.Values("Strict-Transport-Security")
				if strings.HasPrefix(public, "https://") != (len(hsts) == 1 && hsts[0] == "max-age=63072000; includeSubDomains") || len(hsts) > 1 {
					t.Errorf("%s: Strict-Transport-Security %q with public URL %s", what, hsts, public)
				}
			}

			// Pages keep their own policies, not the baseline's.
			page := answers["patient page"]
			if csp := page.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'sha256-") || !strings.Contains(csp, "form-action 'self'") {
				t.Errorf("patient page: Content-Security-Policy %q, want the page's own", csp)
			}
			if rp := page.Get("Referrer-Policy"); rp != "strict-origin-when-cross-origin" {
				t.Errorf("patient page: Referrer-Policy %q, want the page's own", rp)
			}
			login := answers["sign-in page"]
			if csp := login.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'sha256-") || !strings.Contains(csp, "frame-src 'self'") {
				t.Errorf("sign-in page: Content-Security-Policy %q, want the dashboard's own", csp)
			}
			if rp := login.Get("Referrer-Policy"); rp != "same-origin" {
				t.Errorf("sign-in page: Referrer-Policy %q, want same-origin, which keeps the Origin of its forms", rp)
			}
			if csp := answers["docs"].Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'unsafe-inline'") {
				t.Errorf("docs: Content-Security-Policy %q, want the reference's own", csp)
			}
			// The widget still loads on other sites, and still answers their pages.
			widget := answers["widget.js"]
			if widget.Get("Content-Type") != "text/javascript; charset=utf-8" || widget.Get("Cross-Origin-Resource-Policy") != "cross-origin" ||
				widget.Get("Cache-Control") != "public, max-age=3600" {
				t.Errorf("widget.js: %v", widget)
			}
			if got := answers["widget's join"].Get("Access-Control-Allow-Origin"); got != public {
				t.Errorf("widget's join: Access-Control-Allow-Origin %q, want %q", got, public)
			}
		})
	}
}

// get fetches a page that is no part of the API's contract, without following redirects.
func get(tb testing.TB, s *server, path string, status int) http.Header {
	tb.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(s.URL + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	if res.StatusCode != status {
		tb.Fatalf("GET %s: %d, want %d", path, res.StatusCode, status)
	}
	return res.Header
}
