package docs_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/advocateloop/advocateloop"
	"github.com/advocateloop/advocateloop/backend/apitest"
	"github.com/advocateloop/advocateloop/backend/docs"
)

func mustLoadSpec(tb testing.TB) *openapi3.T {
	tb.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(advocateloop.OpenAPI)
	if err != nil {
		tb.Fatalf("loading openapi.yaml: %v", err)
	}
	return doc
}

// mustServe runs the docs handler and returns a contract-checking client for it.
func mustServe(tb testing.TB) *apitest.Client {
	tb.Helper()
	h, err := docs.Handler(advocateloop.OpenAPI)
	if err != nil {
		tb.Fatalf("docs.Handler: %v", err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return apitest.NewClient(tb, srv.URL)
}

func TestSpecIsValid(t *testing.T) {
	if err := mustLoadSpec(t).Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is invalid: %v", err)
	}
}

func TestProblemCatalogue(t *testing.T) {
	doc := mustLoadSpec(t)
	types, err := docs.ProblemTypes(doc)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]docs.ProblemType{}
	for _, p := range types {
		got[p.Slug] = p
	}
	// Which slugs the server answers is held to this catalogue by TestServerAnswersTheCatalogue.
	// Every problem an example shows is in the catalogue, with its status.
	forEachResponse(doc, func(where string, status int, r *openapi3.Response) {
		media := r.Content.Get("application/problem+json")
		if media == nil {
			return
		}
		examples := []any{media.Example}
		for _, ex := range media.Examples {
			examples = append(examples, ex.Value.Value)
		}
		for _, ex := range examples {
			m, _ := ex.(map[string]any)
			if m == nil {
				continue
			}
			slug := strings.TrimPrefix(m["type"].(string), "/problems/")
			if p, ok := got[slug]; !ok || p.Status != status || p.Title != m["title"] {
				t.Errorf("%s %d: example problem %q does not match x-problems (%+v)", where, status, slug, p)
			}
		}
	})
}

// Public operations need no API key: the webhooks name their practice in the URL, prove it by
// signature and are idempotent by webhook-id; the widget's endpoints are idempotent by email, or
// only read.
var publicPaths = []string{"/healthz", "/readyz", "/openapi.yaml", "/docs", "/problems/{slug}", "/p/{slug}/advocates",
	"/p/{slug}/widget", "/v1/webhooks/{practice_id}/payments", "/v1/webhooks/{practice_id}/refunds"}

// TestSpecConventions holds every operation to the API's conventions.
func TestSpecConventions(t *testing.T) {
	doc := mustLoadSpec(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" || op.Summary == "" || len(op.Tags) != 1 {
				t.Errorf("%s: wants an operationId, a summary and one tag", where)
			}
			public := slices.Contains(publicPaths, path)
			switch {
			case public && (op.Security == nil || len(*op.Security) != 0):
				t.Errorf("%s: a public operation wants security: []", where)
			case !public && (op.Security == nil || len(*op.Security) != 1 || !hasAPIKey(*op.Security)):
				t.Errorf("%s: wants security: [apiKey]", where)
			}
			if !public && method == http.MethodPost && op.Parameters.GetByInAndName("header", "Idempotency-Key") == nil {
				t.Errorf("%s: every /v1 POST takes Idempotency-Key", where)
			}
			if op.Responses.Status(http.StatusMethodNotAllowed) == nil {
				t.Errorf("%s: wants a 405 response", where)
			}
			if !public {
				for _, status := range []int{401, 429, 500} {
					if op.Responses.Status(status) == nil {
						t.Errorf("%s: wants a %d response", where, status)
					}
				}
			}
		}
	}
	forEachResponse(doc, func(where string, status int, r *openapi3.Response) {
		if status < 400 {
			return
		}
		media := r.Content.Get("application/problem+json")
		if len(r.Content) != 1 || media == nil || media.Schema.Ref != "#/components/schemas/Problem" {
			t.Errorf("%s %d: an error answers application/problem+json with the Problem schema", where, status)
		}
	})
}

func forEachResponse(doc *openapi3.T, f func(where string, status int, r *openapi3.Response)) {
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code, r := range op.Responses.Map() {
				status := 0
				for _, c := range code {
					status = status*10 + int(c-'0')
				}
				f(method+" "+path, status, r.Value)
			}
		}
	}
}

func TestPage(t *testing.T) {
	c := mustServe(t)
	resp := c.Get("/docs")
	if resp.Status != http.StatusOK {
		t.Fatalf("GET /docs = %d", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	page := string(resp.Body)
	doc := mustLoadSpec(t)
	for path, item := range doc.Paths.Map() {
		if !strings.Contains(page, html.EscapeString(path)) {
			t.Errorf("the page lacks %s", path)
		}
		for _, op := range item.Operations() {
			if !strings.Contains(page, `id="op-`+op.OperationID+`"`) {
				t.Errorf("the page lacks an anchor for %s", op.OperationID)
			}
		}
	}
	types, _ := docs.ProblemTypes(doc)
	for _, p := range types {
		if !strings.Contains(page, `id="problem-`+p.Slug+`"`) {
			t.Errorf("the page lacks the anchor problem-%s", p.Slug)
		}
	}
	for _, want := range []string{`id="overview"`, "Idempotency-Key", "next_cursor", "Glow Aesthetics", "INV-1001", `href="#schema-Conversion"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// Self-contained but for the favicon, which every page links from this server.
	const icon = `<link rel="icon" href="/favicon.svg" type="image/svg+xml">`
	if !strings.Contains(page, icon) {
		t.Errorf("the page lacks %q", icon)
	}
	for _, unwanted := range []string{"<script", "<link", "src=", "@import", "url("} {
		if strings.Contains(strings.Replace(page, icon, "", 1), unwanted) {
			t.Errorf("the page should be self-contained but has %q", unwanted)
		}
	}
}

func TestSpecFile(t *testing.T) {
	resp := mustServe(t).Get("/openapi.yaml")
	if resp.Status != http.StatusOK || string(resp.Body) != string(advocateloop.OpenAPI) {
		t.Fatalf("GET /openapi.yaml = %d with %d bytes, want the spec", resp.Status, len(resp.Body))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/yaml" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestProblemRedirect(t *testing.T) {
	c := mustServe(t)
	resp := c.Get("/problems/validation-failed")
	if resp.Status != http.StatusFound || resp.Header.Get("Location") != "/docs#problem-validation-failed" {
		t.Errorf("GET /problems/validation-failed = %d to %q", resp.Status, resp.Header.Get("Location"))
	}

	resp = c.Get("/problems/no-such-problem")
	if resp.Status != http.StatusNotFound {
		t.Fatalf("GET /problems/no-such-problem = %d, want 404", resp.Status)
	}
	if p := resp.Problem(t); p.Slug() != "not-found" {
		t.Errorf("problem type = %q, want not-found", p.Type)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	resp := mustServe(t).WithoutRequestCheck().Do(http.MethodPost, "/docs", map[string]string{})
	if resp.Status != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
		t.Fatalf("POST /docs = %d, Allow %q; want 405 with Allow", resp.Status, resp.Header.Get("Allow"))
	}
	if p := resp.Problem(t); p.Slug() != "method-not-allowed" {
		t.Errorf("problem type = %q", p.Type)
	}
}

func TestPageEscapesDescriptions(t *testing.T) {
	spec := []byte(`openapi: 3.0.3
info:
  title: Escapes
  version: "1"
  description: "Uses <script>alert(1)</script> and ` + "`<b>`" + `"
paths: {}
x-problems:
  - {slug: not-found, title: Not found, status: 404, description: Missing.}
  - {slug: method-not-allowed, title: Method not allowed, status: 405, description: Wrong method.}
`)
	h, err := docs.Handler(spec)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/docs", nil))
	page := rec.Body.String()
	if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;") {
		t.Error("a description's HTML is not escaped")
	}
	if !strings.Contains(page, "<code>&lt;b&gt;</code>") {
		t.Error("a `code` span is not rendered as escaped code")
	}
}

func TestHandlerRefusesSpecWithoutCatalogue(t *testing.T) {
	spec := []byte("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n")
	if _, err := docs.Handler(spec); err == nil {
		t.Error("docs.Handler accepted a spec without x-problems")
	}
}

func hasAPIKey(reqs openapi3.SecurityRequirements) bool {
	_, ok := reqs[0]["apiKey"]
	return ok
}
