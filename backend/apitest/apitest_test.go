package apitest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/advocateloop/advocateloop/backend/apitest"
)

// recorder is a testing.TB that keeps what a client reports instead of failing the test.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// mustReport checks that exactly one error was reported and that it says each of want.
func (r *recorder) mustReport(tb testing.TB, want ...string) {
	tb.Helper()
	if len(r.errors) != 1 {
		tb.Fatalf("reported %d errors, want 1: %q", len(r.errors), r.errors)
	}
	for _, w := range want {
		if !strings.Contains(r.errors[0], w) {
			tb.Errorf("the report lacks %q:\n%s", w, r.errors[0])
		}
	}
}

func (r *recorder) mustNotReport(tb testing.TB) {
	tb.Helper()
	for _, e := range r.errors {
		tb.Errorf("unexpected report: %s", e)
	}
}

// answer serves one fixed answer to every request.
func answer(tb testing.TB, status int, contentType, body string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL
}

const practice = `{
	"id": "prc_01JDM9S346Q3D25VT4F5V37E3S", "name": "Glow Aesthetics", "slug": "glow-aesthetics",
	"currency": "USD", "time_zone": "America/Los_Angeles", "plan": "free", "advocate_limit": 100,
	"active_advocates": 42,
	"reward": {"kind": "discount_code", "amount": "50.00", "currency": "USD", "annual_cap": 10, "minimum_amount": "0.01", "hold_days": 0},
	"friend_offer": null, "created_at": "2026-09-01T16:00:00Z"}`

func problem(slug, title string, status int) string {
	return fmt.Sprintf(`{"type": "/problems/%s", "title": %q, "status": %d, "detail": "Details."}`, slug, title, status)
}

func TestRightShapeIsAccepted(t *testing.T) {
	var gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, practice)
	}))
	defer srv.Close()

	rec := &recorder{TB: t}
	resp := apitest.NewClient(rec, srv.URL).WithKey("al_live_test").Get("/v1/me")
	rec.mustNotReport(t)
	if resp.Status != http.StatusOK || gotAuth != "Bearer al_live_test" {
		t.Errorf("status %d, Authorization %q", resp.Status, gotAuth)
	}
	var p struct{ Name string }
	resp.JSON(t, &p)
	if p.Name != "Glow Aesthetics" {
		t.Errorf("name = %q", p.Name)
	}
}

func TestWrongShapeIsReported(t *testing.T) {
	url := answer(t, http.StatusOK, "application/json", `{"id": "prc_01JDM9S346Q3D25VT4F5V37E3S", "name": "Glow Aesthetics", "active_advocates": "42"}`)
	rec := &recorder{TB: t}
	apitest.NewClient(rec, url).Get("/v1/me")
	rec.mustReport(t, "GET /v1/me", "200", "Practice", `"plan"`, "active_advocates")
}

func TestNullMustBeDeclared(t *testing.T) {
	url := answer(t, http.StatusOK, "application/json", strings.Replace(practice, `"slug": "glow-aesthetics"`, `"slug": null`, 1))
	rec := &recorder{TB: t}
	apitest.NewClient(rec, url).Get("/v1/me")
	rec.mustReport(t, "slug")
}

func TestUndocumentedStatusIsReported(t *testing.T) {
	url := answer(t, http.StatusTeapot, "application/problem+json", problem("internal-error", "Internal error", 418))
	rec := &recorder{TB: t}
	apitest.NewClient(rec, url).Get("/v1/me")
	if len(rec.errors) == 0 || !strings.Contains(rec.errors[0], "418") {
		t.Errorf("an undocumented status went unreported: %q", rec.errors)
	}
}

func TestProblemsAreHeldToTheCatalogue(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		want string
	}{
		"right":          {body: problem("unauthorized", "Unauthorized", 401)},
		"unknown type":   {body: problem("no-such-problem", "Unauthorized", 401), want: "not in x-problems"},
		"another status": {body: problem("not-found", "Not found", 404), want: "x-problems says 404"},
		"another title":  {body: problem("unauthorized", "Forbidden", 401), want: `x-problems says "Unauthorized"`},
		"no detail":      {body: `{"type": "/problems/unauthorized", "title": "Unauthorized", "status": 401}`, want: `"detail"`},
	} {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{TB: t}
			apitest.NewClient(rec, answer(t, http.StatusUnauthorized, "application/problem+json", tc.body)).Get("/v1/me")
			if tc.want == "" {
				rec.mustNotReport(t)
				return
			}
			rec.mustReport(t, "GET /v1/me → 401", tc.want)
		})
	}
}

func TestErrorsMustBeProblems(t *testing.T) {
	url := answer(t, http.StatusUnauthorized, "text/plain", "unauthorized")
	rec := &recorder{TB: t}
	apitest.NewClient(rec, url).Get("/v1/me")
	rec.mustReport(t, "text/plain")
}

func TestInvalidRequestIsReported(t *testing.T) {
	url := answer(t, http.StatusUnprocessableEntity, "application/problem+json", problem("validation-failed", "Validation failed", 422))
	rec := &recorder{TB: t}
	c := apitest.NewClient(rec, url)

	c.Post("/v1/advocates", map[string]string{"name": ""})
	rec.mustReport(t, "POST /v1/advocates", "request breaks openapi.yaml", "email")

	rec.errors = nil
	resp := c.WithoutRequestCheck().Post("/v1/advocates", map[string]string{"name": ""})
	rec.mustNotReport(t)
	if p := resp.Problem(t); p.Slug() != "validation-failed" {
		t.Errorf("slug = %q", p.Slug())
	}
}

func TestUnknownFieldsAreAllowed(t *testing.T) {
	url := answer(t, http.StatusOK, "application/json",
		`{"outcome": "no_match", "matched": false, "replayed": false, "invoice_id": "INV-1002", "payment_id": null, "conversion": null, "reason": "The payer has no referral at this practice."}`)
	rec := &recorder{TB: t}
	apitest.NewClient(rec, url).Post("/v1/conversions", map[string]any{
		"invoice_id": "INV-1002", "amount": "250.00", "treatment": "Botox", "email": "fran.fields@example.com",
	})
	rec.mustNotReport(t)
}

func TestEventDataMustMatchItsType(t *testing.T) {
	advocate := `{"id": "adv_01JD3E28JT97KB6CQ643DZVMXX", "name": "Jane Avery", "email": "jane.avery@example.com",
		"status": "active", "referral_code": "JANE7K2Q", "referral_url": "https://refer.glowaesthetics.com/r/JANE7K2Q",
		"created_at": "2026-11-02T18:20:00Z", "updated_at": "2026-11-02T18:20:00Z"}`
	event := func(typ string) string {
		return `{"data": [{"id": "evt_01JDQY77ZXYYK596NGYA1DQ91K", "type": "` + typ +
			`", "created_at": "2026-11-02T18:20:00Z", "data": ` + advocate + `}], "next_cursor": null}`
	}

	rec := &recorder{TB: t}
	apitest.NewClient(rec, answer(t, http.StatusOK, "application/json", event("advocate.created"))).Get("/v1/events")
	rec.mustNotReport(t)

	rec = &recorder{TB: t}
	apitest.NewClient(rec, answer(t, http.StatusOK, "application/json", event("conversion.recorded"))).Get("/v1/events")
	rec.mustReport(t, "GET /v1/events → 200")
}

func TestRawDo(t *testing.T) {
	var gotType, gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotType, gotBody = r.Header.Get("Content-Type"), string(b)
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, problem("malformed-request", "Malformed request", 400))
	}))
	defer srv.Close()

	rec := &recorder{TB: t}
	resp := apitest.NewClient(rec, srv.URL).RawDo(http.MethodPost, "/v1/conversions", []byte(`{"invoice_id":`), "application/json",
		"Idempotency-Key", "k1")
	rec.mustNotReport(t)
	if resp.Status != http.StatusBadRequest || gotType != "application/json" || gotBody != `{"invoice_id":` {
		t.Errorf("status %d, server got %q %q", resp.Status, gotType, gotBody)
	}
}

func TestUndocumentedPathsMustAnswerProblems(t *testing.T) {
	rec := &recorder{TB: t}
	url := answer(t, http.StatusNotFound, "application/problem+json", problem("not-found", "Not found", 404))
	apitest.NewClient(rec, url).WithoutRequestCheck().Get("/v1/nothing")
	rec.mustNotReport(t)

	rec = &recorder{TB: t}
	url = answer(t, http.StatusNotFound, "text/plain", "404 page not found")
	apitest.NewClient(rec, url).WithoutRequestCheck().Get("/v1/nothing")
	rec.mustReport(t, "GET /v1/nothing → 404", "application/problem+json")

	rec = &recorder{TB: t}
	url = answer(t, http.StatusMethodNotAllowed, "application/problem+json", problem("method-not-allowed", "Method not allowed", 405))
	apitest.NewClient(rec, url).WithoutRequestCheck().Do(http.MethodDelete, "/v1/me", nil)
	rec.mustNotReport(t)

	rec = &recorder{TB: t}
	apitest.NewClient(rec, url).Do(http.MethodDelete, "/v1/me", nil)
	rec.mustReport(t, "no such operation")
}

func TestHeadersComeInPairs(t *testing.T) {
	rec := &recorder{TB: t}
	apitest.NewClient(rec, answer(t, http.StatusOK, "application/json", practice)).Get("/v1/me", "Idempotency-Key")
	rec.mustReport(t, "pairs")
}
