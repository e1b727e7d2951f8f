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
	// What the browser tests and patients rely on, and what keeps it apart from the page.
	for _, want := range []string{`attachShadow({ mode: "open" })`, "data-advocateloop-widget", "data-practice",
		"document.currentScript", "new URL(me.src, location.href).origin", `"/advocates"`, `"/me"`,
		">Refer a friend<", ">Your name<", ">Your email<", "to send you your referral link and rewards", ">Get my link<",
		`role="alert"`, `role="status"`, ">Check your inbox<", ">Your page: see your link and rewards any time<",
		"answer.message", "answer.page_url", `$("heading").focus()`, `aria-invalid`,
		"<style>", `"Content-Type": "application/json"`, `website: $("website").value`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("widget.js lacks %q", want)
		}
	}
	for _, gone := range []string{"referral_url", "referral_code", "plan-limit"} {
		if strings.Contains(r.Body, gone) {
			t.Errorf("widget.js still reads %q, which the endpoint no longer answers", gone)
		}
	}
	if strings.Contains(r.Body, "innerHTML +") || strings.Contains(r.Body, ".innerHTML = answer") {
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

// accepted is the widget endpoint's one answer to a join.
type accepted struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	PageURL string `json:"page_url"`
}

// The widget's endpoint, held to openapi.yaml by the contract-checking client: every join is
// answered 202 "check your inbox", and what follows goes by email.
func TestJoinFromWidget(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	path := "/p/" + p.Slug + "/advocates"

	res := s.Client.Post(path, map[string]string{"name": " Jane Park ", "email": "Jane@Example.com", "website": ""})
	if res.Status != 202 || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("join = %d %s %s, want 202 JSON", res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	var got accepted
	res.JSON(t, &got)
	if got.Status != "check_inbox" || got.PageURL != s.URL+"/p/"+p.Slug+"/me" ||
		!strings.Contains(got.Message, "Confirm it to get your referral link") {
		t.Errorf("answer = %+v", got)
	}
	wantNone(t, &response{Body: string(res.Body)}, "jane", "Jane", "/r/")
	if n := len(s.advocates(t, p)); n != 0 {
		t.Errorf("%d advocates before the email was confirmed", n)
	}
	if m := s.lastMessage(t, p, referral.JoinEmail, "jane@example.com"); m.Letter.FirstName != "Jane" {
		t.Errorf("the confirmation = %+v", m.Letter)
	}

	s.mustAdvocate(t, p, "Jane Park", "jane@example.com")
	again := s.Client.Post(path, map[string]string{"name": "J", "email": "jane@example.com"})
	if again.Status != 202 || string(again.Body) != string(res.Body) {
		t.Errorf("an advocate's email = %d %s, want the same answer", again.Status, again.Body)
	}
	s.lastMessage(t, p, referral.SignInEmail, "jane@example.com")

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
		if n := len(s.messages(t, p)); n != 3 {
			t.Errorf("%d messages after the refusals, want the three of before", n)
		}
	})
}

// A bot that fills the hidden field is answered as a person is; nothing is kept or sent.
func TestHoneypot(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")
	bot := person("Bot", "bot@example.com")
	bot.Set("website", "https://spam.example")

	wantPage(t, s.postForm(t, "/p/"+p.Slug, bot), 200, "Check your inbox")
	res := s.Client.Post("/p/"+p.Slug+"/advocates", map[string]string{"name": "Bot", "email": "bot@example.com", "website": "x"})
	if res.Status != 202 || !strings.Contains(string(res.Body), `"check_inbox"`) {
		t.Errorf("widget honeypot = %d %s, want the 202 everyone gets", res.Status, res.Body)
	}
	wantPage(t, s.postForm(t, "/r/"+jane.Code, bot), 200, "Check your inbox")
	wantPage(t, s.postForm(t, "/p/"+p.Slug+"/me", bot), 200, "Check your inbox")

	if list := s.advocates(t, p); len(list) != 1 || list[0].ID != jane.ID {
		t.Errorf("advocates = %+v, want only Jane", list)
	}
	if n := len(s.referrals(t, p)); n != 0 {
		t.Errorf("%d referrals, want none", n)
	}
	if list := s.messages(t, p); len(list) != 1 || list[0].Kind != referral.AdvocateWelcome {
		t.Errorf("messages = %+v, want Jane's welcome only", list)
	}
	events, _, err := s.Service.Events(t.Context(), p, "", referral.Page{Limit: 100})
	if err != nil || len(events) != 1 {
		t.Errorf("events = %d, %v; want Jane's advocate.created only", len(events), err)
	}
}
