package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// widgetBudget is the most the widget may weigh gzipped (issue 5).
const widgetBudget = 8 << 10

func gzipSize(tb testing.TB, b []byte) int {
	tb.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

func TestWidgetScript(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	r := s.get(t, "/widget.js")
	if r.Status != 200 || r.Header.Get("Content-Type") != "text/javascript; charset=utf-8" ||
		!strings.HasPrefix(r.Header.Get("Cache-Control"), "public") || r.Header.Get("Content-Encoding") != "" {
		t.Fatalf("GET /widget.js = %d %v", r.Status, r.Header)
	}
	size := gzipSize(t, []byte(r.Body))
	t.Logf("widget.js: %d bytes, %d gzipped (budget %d)", len(r.Body), size, widgetBudget)
	if size > widgetBudget {
		t.Errorf("widget.js is %d bytes gzipped, over the %d-byte budget", size, widgetBudget)
	}
	// What the browser tests and patients rely on (WEB.md), and what keeps it apart from the page.
	for _, want := range []string{`attachShadow({ mode: "open" })`, "data-advocateloop-widget", "data-practice",
		"document.currentScript", "new URL(me.src, location.href).origin", `"/advocates"`,
		">Refer a friend<", ">Your name<", ">Your email<", "only your name and email", ">Get my link<",
		`role="alert"`, ">Your referral link<", ">Copy link<", "navigator.clipboard", `document.execCommand("copy")`,
		"navigator.share", `"Share"`, `"Text"`, `"Email"`, `"WhatsApp"`, "sms:", "mailto:", "https://wa.me/",
		"<style>", `"Content-Type": "application/json"`, `website: $("website").value`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("widget.js lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "innerHTML +") || strings.Contains(r.Body, ".innerHTML = advocate") {
		t.Error("widget.js builds HTML from data; answers must go in as text")
	}

	t.Run("gzipped for browsers that accept it", func(t *testing.T) {
		z := s.get(t, "/widget.js", "Accept-Encoding", "br, gzip")
		if z.Header.Get("Content-Encoding") != "gzip" || len(z.Body) > widgetBudget {
			t.Fatalf("Content-Encoding %q, %d bytes", z.Header.Get("Content-Encoding"), len(z.Body))
		}
		zr, err := gzip.NewReader(strings.NewReader(z.Body))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		if string(plain) != r.Body {
			t.Error("the gzipped widget is not the same script")
		}
		if s.get(t, "/widget.js", "Accept-Encoding", "gzip;q=0").Header.Get("Content-Encoding") != "" {
			t.Error("gzip;q=0 got gzip")
		}
	})

	t.Run("revalidated by ETag", func(t *testing.T) {
		etag := r.Header.Get("ETag")
		if etag == "" || s.get(t, "/widget.js", "If-None-Match", etag).Status != 304 {
			t.Errorf("If-None-Match %q did not answer 304", etag)
		}
	})
}

// joined is the widget endpoint's answer.
type joined struct {
	Name         string `json:"name"`
	ReferralCode string `json:"referral_code"`
	ReferralURL  string `json:"referral_url"`
	ShareMessage string `json:"share_message"`
	QRURL        string `json:"qr_url"`
}

// The widget's endpoint, held to openapi.yaml by the contract-checking client.
func TestJoinFromWidget(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	path := "/p/" + p.Slug + "/advocates"

	res := s.Client.Post(path, map[string]string{"name": " Jane Park ", "email": "Jane@Example.com", "website": ""})
	if res.Status != 201 {
		t.Fatalf("first join = %d %s, want 201", res.Status, res.Body)
	}
	var got joined
	res.JSON(t, &got)
	link := s.URL + "/r/" + got.ReferralCode
	if got.Name != "Jane Park" || got.ReferralURL != link || got.QRURL != link+"/qr.svg" ||
		got.ShareMessage != "I think you'd love "+p.Name+"! Use my link to get $25 off your first facial: "+link {
		t.Errorf("joined = %+v", got)
	}
	if strings.Contains(string(res.Body), "jane@example.com") {
		t.Error("the answer holds the email")
	}
	if list := s.advocates(t, p); len(list) != 1 || list[0].Code != got.ReferralCode {
		t.Errorf("advocates = %+v", list)
	}

	again := s.Client.Post(path, map[string]string{"name": "J", "email": "jane@example.com"})
	if again.Status != 200 || !strings.Contains(string(again.Body), got.ReferralCode) {
		t.Errorf("the same email again = %d %s, want 200 with the same code", again.Status, again.Body)
	}
	if qr := s.get(t, strings.TrimPrefix(got.QRURL, s.URL)); qr.Status != 200 {
		t.Errorf("qr_url answers %d", qr.Status)
	}

	t.Run("refusals are documented problems", func(t *testing.T) {
		c := s.Client.WithoutRequestCheck()
		for _, tc := range []struct {
			name        string
			path        string
			body        string
			contentType string
			status      int
			slug        string
			fields      []string
		}{
			{"invalid fields", path, `{"name":"","email":"nope"}`, "application/json", 422, "validation-failed", []string{"name", "email"}},
			{"wrong type", path, `{"name":7,"email":"a@example.com"}`, "application/json", 422, "validation-failed", []string{"name"}},
			{"not JSON", path, `{"name":`, "application/json", 400, "malformed-request", nil},
			{"a form", path, "name=Jane", "application/x-www-form-urlencoded", 415, "unsupported-media-type", nil},
			{"unknown practice", "/p/no-such-practice/advocates", `{"name":"Jane","email":"j@example.com"}`, "application/json", 404, "not-found", nil},
			{"a slug no practice has the shape of", "/p/%00/advocates", `{"name":"Jane","email":"j@example.com"}`, "application/json", 404, "not-found", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := c.RawDo("POST", tc.path, []byte(tc.body), tc.contentType)
				p := res.Problem(t)
				if res.Status != tc.status || p.Slug() != tc.slug {
					t.Fatalf("%d %s, want %d %s", res.Status, p.Slug(), tc.status, tc.slug)
				}
				for _, f := range tc.fields {
					if _, ok := p.Field(f); !ok {
						t.Errorf("problem names no %q: %+v", f, p.Errors)
					}
				}
			})
		}
		res := c.Get(path)
		if res.Status != 405 || res.Header.Get("Allow") != "POST, OPTIONS" || res.Problem(t).Slug() != "method-not-allowed" {
			t.Errorf("GET %s = %d, Allow %q", path, res.Status, res.Header.Get("Allow"))
		}
		if n := len(s.advocates(t, p)); n != 1 {
			t.Errorf("%d advocates after the refusals, want 1", n)
		}
	})
}

// A bot that fills the hidden field is answered as if it had joined or claimed; nothing is kept.
func TestHoneypot(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")
	bot := person("Bot", "bot@example.com")
	bot.Set("website", "https://spam.example")

	wantPage(t, s.postForm(t, "/p/"+p.Slug, bot), 200, "Your referral link", `<strong class="code">`)
	res := s.Client.Post("/p/"+p.Slug+"/advocates", map[string]string{"name": "Bot", "email": "bot@example.com", "website": "x"})
	if res.Status != 201 || !strings.Contains(string(res.Body), `"referral_code"`) {
		t.Errorf("widget honeypot = %d %s, want a 201 that looks real", res.Status, res.Body)
	}
	wantPage(t, s.postForm(t, "/r/"+jane.Code, bot), 200, "You're in!")

	if list := s.advocates(t, p); len(list) != 1 || list[0].ID != jane.ID {
		t.Errorf("advocates = %+v, want only Jane", list)
	}
	if n := len(s.referrals(t, p)); n != 0 {
		t.Errorf("%d referrals, want none", n)
	}
	events, _, err := s.Service.Events(t.Context(), p, "", referral.Page{Limit: 100})
	if err != nil || len(events) != 1 {
		t.Errorf("events = %d, %v; want Jane's advocate.created only", len(events), err)
	}
}
