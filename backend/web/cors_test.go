package web_test

import (
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Browsers may call the widget's endpoint only from the practice's allowed sites and this
// server's own pages; any other site's page is refused before anything of the patient is
// stored (only the refused site is kept, for staff).
func TestWidgetCORS(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", referral.PracticeSettings{AllowedOrigins: []string{"https://glowaesthetics.com"}})
	path := "/p/" + p.Slug + "/advocates"
	join := func(t *testing.T, origin, email string) (int, string) {
		res := s.Client.Post(path, map[string]string{"name": "Jane", "email": email}, "Origin", origin)
		return res.Status, res.Header.Get("Access-Control-Allow-Origin")
	}

	for _, tc := range []struct {
		name, origin string
	}{
		{"an allowed site", "https://glowaesthetics.com"},
		{"this server's own page", s.URL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, allow := join(t, tc.origin, strings.ReplaceAll(tc.name, " ", ".")+"@example.com")
			if status != 202 || allow != tc.origin {
				t.Errorf("join from %s = %d, Access-Control-Allow-Origin %q", tc.origin, status, allow)
			}
		})
	}
	t.Run("no Origin: not a browser page, nothing to allow", func(t *testing.T) {
		if status, allow := join(t, "", "server@example.com"); status != 202 || allow != "" {
			t.Errorf("join without Origin = %d, Access-Control-Allow-Origin %q", status, allow)
		}
	})

	for _, origin := range []string{"https://evil.example", "http://glowaesthetics.com", "https://glowaesthetics.com.evil.example", "null"} {
		t.Run("refused: "+origin, func(t *testing.T) {
			res := s.Client.Post(path, map[string]string{"name": "Mallory", "email": "mallory@example.com"}, "Origin", origin)
			if res.Status != 403 || res.Problem(t).Slug() != "origin-not-allowed" || res.Header.Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("join from %s = %d %s", origin, res.Status, res.Body)
			}
		})
	}

	t.Run("preflight", func(t *testing.T) {
		r := s.do(t, "OPTIONS", path, nil, "Origin", "https://glowaesthetics.com",
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
		if r.Status != 204 || r.Header.Get("Access-Control-Allow-Origin") != "https://glowaesthetics.com" ||
			r.Header.Get("Access-Control-Allow-Methods") != "POST" || !strings.EqualFold(r.Header.Get("Access-Control-Allow-Headers"), "Content-Type") ||
			!strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Origin") { // beside Accept-Encoding
			t.Errorf("preflight = %d %v", r.Status, r.Header)
		}
		r = s.do(t, "OPTIONS", path, nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
		if r.Status != 403 || r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("foreign preflight = %d %v", r.Status, r.Header)
		}
	})

	if n := len(s.messages(t, p)); n != 3 {
		t.Errorf("%d messages, want a confirmation for each of the three allowed joins", n)
	}
}
