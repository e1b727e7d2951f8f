package app_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop"
	"github.com/advocateloop/advocateloop/backend/api"
	"github.com/advocateloop/advocateloop/backend/config"
)

// TestIdempotencyKey: a POST sent again with its Idempotency-Key gets the first answer and acts
// once; a key names one request of one practice.
func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	a := mustProgram(t, s, "Glow Aesthetics", "a.example")
	b := s.mustPractice(t, "Radiance Med Spa")
	nia := map[string]any{"name": "Nia North", "email": "nia@a.example"}

	t.Run("same key, same body: the first answer, acted on once", func(t *testing.T) {
		keys := s.count(t, "idempotency_keys")
		first := a.Client.For(t).Post("/v1/advocates", nia, "Idempotency-Key", "create-nia")
		if first.Status != 201 || first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first: %d replayed=%q, want 201 not replayed\n\t%s", first.Status, first.Header.Get("Idempotent-Replayed"), first.Body)
		}
		written := s.rows(t)
		if n := len(written["idempotency_keys"]); n != keys+1 {
			t.Errorf("%d idempotency keys kept, want %d", n, keys+1)
		}
		for range 2 {
			again := a.Client.For(t).Post("/v1/advocates", nia, "Idempotency-Key", "create-nia")
			if again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" ||
				string(again.Body) != string(first.Body) || again.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
				t.Errorf("again: %d replayed=%q %s\n\twant 201 replayed=true %s", again.Status,
					again.Header.Get("Idempotent-Replayed"), again.Body, first.Body)
			}
		}
		assertSameRows(t, written, s.rows(t))
		// Without the key the same body is a new request, answered by the rules: 200, exists.
		if res := a.Client.For(t).Post("/v1/advocates", nia); res.Status != 200 || res.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("without the key: %d replayed=%q, want 200", res.Status, res.Header.Get("Idempotent-Replayed"))
		}
	})

	t.Run("same key, another body or path: idempotency-key-reused", func(t *testing.T) {
		before := s.rows(t)
		for _, tc := range []struct {
			path string
			body map[string]any
		}{
			{"/v1/advocates", map[string]any{"name": "Nia North", "email": "nia.north@a.example"}},
			{"/v1/advocates", map[string]any{"email": "nia@a.example", "name": "Nia North", "extra": 1}},
			{"/v1/referrals", map[string]any{"advocate_id": a.Jane, "friend_name": "Nia North", "friend_email": "nia@a.example"}},
		} {
			res := a.Client.For(t).WithoutRequestCheck().Post(tc.path, tc.body, "Idempotency-Key", "create-nia")
			expectProblem(t, res.Status, res.Problem(t).Slug(), 422, "idempotency-key-reused")
		}
		assertSameRows(t, before, s.rows(t))
	})

	t.Run("key over 255 characters or not text: validation-failed, nothing kept", func(t *testing.T) {
		before := s.rows(t)
		for _, key := range []string{strings.Repeat("k", 256), "key-\xff\xfe"} {
			res := a.Client.For(t).WithoutRequestCheck().Post("/v1/advocates",
				map[string]any{"name": "Long Key", "email": "long.key@a.example"}, "Idempotency-Key", key)
			p := res.Problem(t)
			expectProblem(t, res.Status, p.Slug(), 422, "validation-failed")
			if _, ok := p.Field("Idempotency-Key"); !ok {
				t.Errorf("errors[] %+v does not name Idempotency-Key", p.Errors)
			}
		}
		assertSameRows(t, before, s.rows(t))
		key := strings.Repeat("k", 255)
		mustDo(t, a.Client.WithHeader("Idempotency-Key", key), "POST", "/v1/advocates", map[string]any{"name": "Long Key", "email": "long.key@a.example"}, 201, nil)
		res := a.Client.For(t).Post("/v1/advocates", map[string]any{"name": "Long Key", "email": "long.key@a.example"}, "Idempotency-Key", key)
		if res.Status != 201 || res.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("a 255-character key again: %d replayed=%q, want a 201 replay", res.Status, res.Header.Get("Idempotent-Replayed"))
		}
	})

	t.Run("keys are per practice", func(t *testing.T) {
		res := b.Client.For(t).Post("/v1/advocates", map[string]any{"name": "Bo Brandt", "email": "bo@b.example"}, "Idempotency-Key", "create-nia")
		if res.Status != 201 || res.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("B with A's key: %d replayed=%q, want a new 201\n\t%s", res.Status, res.Header.Get("Idempotent-Replayed"), res.Body)
		}
		res = b.Client.For(t).Post("/v1/advocates", nia, "Idempotency-Key", "create-nia")
		expectProblem(t, res.Status, res.Problem(t).Slug(), 422, "idempotency-key-reused")
	})

	t.Run("a refusal is replayed too", func(t *testing.T) {
		first := a.Client.For(t).WithoutRequestCheck().Post("/v1/advocates", map[string]any{"name": ""}, "Idempotency-Key", "bad-1")
		expectProblem(t, first.Status, first.Problem(t).Slug(), 422, "validation-failed")
		written := s.rows(t)
		again := a.Client.For(t).WithoutRequestCheck().Post("/v1/advocates", map[string]any{"name": ""}, "Idempotency-Key", "bad-1")
		if again.Status != 422 || again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
			t.Errorf("again: %d replayed=%q %s", again.Status, again.Header.Get("Idempotent-Replayed"), again.Body)
		}
		assertSameRows(t, written, s.rows(t))
	})

	t.Run("redeem and dismiss are replayed, not refused", func(t *testing.T) {
		for _, tc := range []struct {
			path        string
			status      int
			laterStatus int // the same request without the key
		}{
			{"/v1/rewards/" + a.Issued + "/redeem", 200, 409},
			{"/v1/near-misses/" + a.NearMiss + "/dismiss", 204, 404},
		} {
			first := a.Client.For(t).Post(tc.path, nil, "Idempotency-Key", "once:"+tc.path)
			written := s.rows(t)
			again := a.Client.For(t).Post(tc.path, nil, "Idempotency-Key", "once:"+tc.path)
			assertSameRows(t, written, s.rows(t))
			if first.Status != tc.status || again.Status != tc.status || again.Header.Get("Idempotent-Replayed") != "true" ||
				string(again.Body) != string(first.Body) {
				t.Errorf("%s: %d then %d replayed=%q, want %d twice, replayed", tc.path, first.Status, again.Status,
					again.Header.Get("Idempotent-Replayed"), tc.status)
			}
			if res := a.Client.For(t).Post(tc.path, nil); res.Status != tc.laterStatus {
				t.Errorf("%s without the key: %d, want %d", tc.path, res.Status, tc.laterStatus)
			}
		}
	})

	t.Run("the same key while its request runs: request-in-progress", func(t *testing.T) {
		body := `{"name":"Ola Olsen","email":"ola@a.example"}`
		// A request that is still running holds its key with no answer yet. The request hash
		// is the server's: method, path and body.
		ctx := context.Background()
		if _, err := s.App.DB.ClaimIdempotencyKey(ctx, a.ID, "running", api.RequestHash("POST", "/v1/advocates", []byte(body)), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		before := s.rows(t)
		res := a.Client.For(t).RawDo("POST", "/v1/advocates", []byte(body), "application/json", "Idempotency-Key", "running")
		expectProblem(t, res.Status, res.Problem(t).Slug(), 409, "request-in-progress")
		if n, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || n < 1 {
			t.Errorf("Retry-After %q, want whole seconds", res.Header.Get("Retry-After"))
		}
		res = a.Client.For(t).RawDo("POST", "/v1/advocates", []byte(`{"name":"Ola","email":"ola@a.example"}`), "application/json", "Idempotency-Key", "running")
		expectProblem(t, res.Status, res.Problem(t).Slug(), 422, "idempotency-key-reused")
		assertSameRows(t, before, s.rows(t))

		if err := s.App.DB.ReleaseIdempotencyKey(ctx, a.ID, "running"); err != nil {
			t.Fatal(err)
		}
		if res := a.Client.For(t).RawDo("POST", "/v1/advocates", []byte(body), "application/json", "Idempotency-Key", "running"); res.Status != 201 {
			t.Errorf("after the key was released: %d, want 201", res.Status)
		}
	})
}

func expectProblem(t *testing.T, status int, slug string, wantStatus int, wantSlug string) {
	t.Helper()
	if status != wantStatus || slug != wantSlug {
		t.Errorf("%d %s, want %d %s", status, slug, wantStatus, wantSlug)
	}
}

// TestRateLimit: a practice past its burst is told to wait, and only that practice.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	s := mustServe(t, func(c *config.Config) { c.RateLimit = 1 })
	busy := s.mustPractice(t, "Glow Aesthetics")
	calm := s.mustPractice(t, "Radiance Med Spa")
	before := s.rows(t)

	passed, limited := 0, false
	for range 20 {
		// An invalid body: whatever gets through writes nothing either.
		res := busy.Client.For(t).WithoutRequestCheck().Post("/v1/advocates", map[string]any{})
		if res.Status != 429 {
			expectProblem(t, res.Status, res.Problem(t).Slug(), 422, "validation-failed")
			passed++
			continue
		}
		limited = true
		expectProblem(t, res.Status, res.Problem(t).Slug(), 429, "rate-limited")
		if n, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || n < 1 || n > 2 {
			t.Errorf("Retry-After %q, want 1 or 2 seconds at one request a second", res.Header.Get("Retry-After"))
		}
		break
	}
	if !limited || passed < 2 || passed > 4 {
		t.Fatalf("%d requests passed, limited=%v: want the burst of 2 (give or take a refill) then 429", passed, limited)
	}
	assertSameRows(t, before, s.rows(t))
	mustDo(t, calm.Client, "GET", "/v1/me", nil, 200, nil)
	mustDo(t, s.Client, "GET", "/healthz", nil, 200, nil)
}

// TestSystemRoutes: health, readiness and the documentation need no key.
func TestSystemRoutes(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	c := s.Client

	var health struct {
		Status string `json:"status"`
	}
	mustDo(t, c, "GET", "/healthz", nil, 200, &health)
	if health.Status != "ok" {
		t.Errorf("/healthz status %q", health.Status)
	}
	mustDo(t, c, "GET", "/readyz", nil, 200, &health)
	if health.Status != "ready" {
		t.Errorf("/readyz status %q", health.Status)
	}

	res := mustDo(t, c, "GET", "/docs", nil, 200, nil)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("/docs Content-Type %q, want text/html", ct)
	}
	if page := strings.ToLower(string(res.Body)); !strings.Contains(page, "<html") || !strings.Contains(page, `id="problem-validation-failed"`) {
		t.Errorf("/docs is not the reference with problem anchors: %.300s", res.Body)
	}

	res = mustDo(t, c, "GET", "/openapi.yaml", nil, 200, nil)
	if string(res.Body) != string(advocateloop.OpenAPI) {
		t.Errorf("/openapi.yaml is not the embedded contract")
	}

	res = mustDo(t, c, "GET", "/problems/validation-failed", nil, 302, nil)
	if loc := res.Header.Get("Location"); loc != "/docs#problem-validation-failed" {
		t.Errorf("Location %q, want /docs#problem-validation-failed", loc)
	}
	res = c.For(t).Get("/problems/no-such-problem")
	expectProblem(t, res.Status, res.Problem(t).Slug(), 404, "not-found")

	// A server whose database is gone is alive but not ready.
	if err := s.App.DB.Close(); err != nil {
		t.Fatal(err)
	}
	mustDo(t, c, "GET", "/healthz", nil, 200, nil)
	res = c.For(t).Get("/readyz")
	expectProblem(t, res.Status, res.Problem(t).Slug(), 503, "not-ready")
}

// TestRequestID: a caller's sensible X-Request-Id is kept, anything else is replaced.
func TestRequestID(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	ours := regexp.MustCompile(`^[A-Za-z0-9._\-]{1,64}$`)

	for _, id := range []string{"zap-7f3a.run_42", "01JDCD1GDJFMGT83PXT891WB09", strings.Repeat("a", 64)} {
		if got := p.Client.For(t).Get("/healthz", "X-Request-Id", id).Header.Get("X-Request-Id"); got != id {
			t.Errorf("/healthz: sent X-Request-Id %q, answered %q", id, got)
		}
		res := p.Client.For(t).Get("/v1/advocates/adv_missing", "X-Request-Id", id)
		if got, inBody := res.Header.Get("X-Request-Id"), res.Problem(t).RequestID; got != id || inBody != id {
			t.Errorf("problem: sent X-Request-Id %q, answered %q, request_id %q", id, got, inBody)
		}
	}

	seen := map[string]bool{}
	for _, id := range []string{"", "has spaces in it", strings.Repeat("a", 65), strings.Repeat("b", 200),
		"<script>alert(1)</script>", "id;drop table", "naïve-ü", "\"quoted\""} {
		res := p.Client.For(t).Get("/v1/advocates/adv_missing", "X-Request-Id", id)
		header := res.Header.Get("X-Request-Id")
		if header == id || !ours.MatchString(header) || seen[header] {
			t.Errorf("sent %q, answered %q: want a fresh id of our own", id, header)
		}
		seen[header] = true
		if got := res.Problem(t).RequestID; got != header {
			t.Errorf("request_id %q, X-Request-Id %q", got, header)
		}
	}
}
