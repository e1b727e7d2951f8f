// Package apitest is for tests of a running AdvocateLoop server: its Client sends real HTTP
// requests and checks every request and every response against openapi.yaml, so the server and
// its contract cannot drift apart unnoticed.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/advocateloop/advocateloop"
	"github.com/advocateloop/advocateloop/backend/docs"
)

// Client talks to one server. Its With… methods return changed copies, so a test can keep a
// keyless client and a keyed one side by side. It is safe for concurrent use, and it reports
// with Errorf only, so goroutines may call it too.
type Client struct {
	tb           testing.TB
	baseURL      string
	header       http.Header
	checkRequest bool
	http         *http.Client
}

// NewClient returns a client for the server at baseURL (such as an httptest.Server's URL).
func NewClient(tb testing.TB, baseURL string) *Client {
	tb.Helper()
	if _, err := loadContract(); err != nil {
		tb.Fatalf("apitest: %v", err)
	}
	return &Client{
		tb:           tb,
		baseURL:      strings.TrimSuffix(baseURL, "/"),
		header:       http.Header{},
		checkRequest: true,
		http: &http.Client{
			Timeout: time.Minute,
			// Redirects are answers to check, such as GET /problems/{slug}.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// WithKey returns a copy that sends "Authorization: Bearer apiKey".
func (c *Client) WithKey(apiKey string) *Client {
	return c.WithHeader("Authorization", "Bearer "+apiKey)
}

// WithHeader returns a copy that sends this header on every request.
func (c *Client) WithHeader(name, value string) *Client {
	cp := *c
	cp.header = c.header.Clone()
	cp.header.Set(name, value)
	return &cp
}

// WithoutRequestCheck returns a copy that sends requests the contract forbids, for tests of
// bad input. Responses are still checked: a bad request must get a documented answer.
func (c *Client) WithoutRequestCheck() *Client {
	cp := *c
	cp.checkRequest = false
	return &cp
}

// For returns a copy that reports to tb, such as a subtest's.
func (c *Client) For(tb testing.TB) *Client {
	cp := *c
	cp.tb = tb
	return &cp
}

// Get sends a GET request; see Do.
func (c *Client) Get(path string, headers ...string) *Response {
	c.tb.Helper()
	return c.Do(http.MethodGet, path, nil, headers...)
}

// Post sends a POST request with body as JSON; see Do.
func (c *Client) Post(path string, body any, headers ...string) *Response {
	c.tb.Helper()
	return c.Do(http.MethodPost, path, body, headers...)
}

// Do sends body encoded as JSON (no body when nil) to path, which may carry a query, and
// returns the answer. headers are name, value pairs, such as "Idempotency-Key", "k1".
// A request or response that breaks openapi.yaml is reported with Errorf.
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	c.tb.Helper()
	if body == nil {
		return c.send(method, path, nil, "", c.checkRequest, headers)
	}
	b, err := json.Marshal(body)
	if err != nil {
		c.tb.Errorf("apitest: %s %s: cannot encode the body: %v", method, path, err)
		return &Response{}
	}
	return c.send(method, path, b, "application/json", c.checkRequest, headers)
}

// RawDo sends body as it is, with this Content-Type (none when empty), for tests of malformed
// or oversized bodies. The request is never checked; the response always is.
func (c *Client) RawDo(method, path string, body []byte, contentType string, headers ...string) *Response {
	c.tb.Helper()
	return c.send(method, path, body, contentType, false, headers)
}

func (c *Client) send(method, path string, body []byte, contentType string, checkRequest bool, headers []string) *Response {
	c.tb.Helper()
	ctr, err := loadContract()
	if err != nil {
		c.tb.Errorf("apitest: %v", err)
		return &Response{}
	}
	if len(headers)%2 != 0 {
		c.tb.Errorf("apitest: %s %s: headers must come in name, value pairs: %q", method, path, headers)
		return &Response{}
	}
	req, err := http.NewRequest(method, c.baseURL+path, bytes.NewReader(body))
	if err != nil {
		c.tb.Errorf("apitest: %s %s: %v", method, path, err)
		return &Response{}
	}
	req.Header = c.header.Clone()
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}

	ctx := context.Background()
	route, params, routeErr := ctr.router.FindRoute(req)
	var input *openapi3filter.RequestValidationInput
	if routeErr == nil {
		input = &openapi3filter.RequestValidationInput{
			Request:    cloneWithBody(req, body),
			PathParams: params,
			Route:      route,
			Options:    ctr.options,
		}
		if checkRequest {
			if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
				c.tb.Errorf("apitest: %s %s: the request breaks openapi.yaml (use WithoutRequestCheck to send it on purpose):\n\t%s",
					method, path, explain(err))
			}
		}
	} else if checkRequest {
		c.tb.Errorf("apitest: %s %s: openapi.yaml has no such operation: %v", method, path, routeErr)
	}

	httpResp, err := c.http.Do(req)
	if err != nil {
		c.tb.Errorf("apitest: %s %s: %v", method, path, err)
		return &Response{}
	}
	defer httpResp.Body.Close()
	respBody, err := io.ReadAll(httpResp.Body)
	if err != nil {
		c.tb.Errorf("apitest: %s %s: reading the answer: %v", method, path, err)
	}
	resp := &Response{Status: httpResp.StatusCode, Header: httpResp.Header, Body: respBody}

	for _, problem := range ctr.checkResponse(ctx, input, routeErr, resp) {
		c.tb.Errorf("apitest: %s %s → %d: the response breaks openapi.yaml:\n\t%s\n\tbody: %s",
			method, path, resp.Status, problem, snippet(respBody))
	}
	return resp
}

// checkResponse lists what is wrong with resp; input is nil when no operation matched.
func (ctr *contract) checkResponse(ctx context.Context, input *openapi3filter.RequestValidationInput, routeErr error, resp *Response) []string {
	var problems []string
	if input != nil {
		rin := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: input,
			Status:                 resp.Status,
			Header:                 resp.Header,
			Options:                ctr.options,
		}
		rin.SetBodyBytes(resp.Body)
		if err := openapi3filter.ValidateResponse(ctx, rin); err != nil {
			problems = append(problems, explain(err))
		}
	} else {
		// A path or method the contract lacks must still get its documented problem.
		want := http.StatusNotFound
		if errors.Is(routeErr, routers.ErrMethodNotAllowed) {
			want = http.StatusMethodNotAllowed
		}
		if resp.Status != want {
			problems = append(problems, fmt.Sprintf("status %d for an undocumented operation, want %d", resp.Status, want))
		}
		if !isProblem(resp.Header) {
			problems = append(problems, fmt.Sprintf("Content-Type %q, want application/problem+json", resp.Header.Get("Content-Type")))
		} else if err := ctr.checkProblemSchema(resp.Body); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if isProblem(resp.Header) {
		problems = append(problems, ctr.checkProblemType(resp)...)
	}
	return problems
}

func (ctr *contract) checkProblemSchema(body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("problem is not JSON: %v", err)
	}
	if err := ctr.problem.VisitJSON(v, openapi3.MultiErrors(), openapi3.DisableSchemaErrorDetails()); err != nil {
		return fmt.Errorf("problem doesn't match #/components/schemas/Problem: %s", explain(err))
	}
	return nil
}

// checkProblemType holds a problem to the catalogue in openapi.yaml's x-problems.
func (ctr *contract) checkProblemType(resp *Response) []string {
	var p Problem
	if err := json.Unmarshal(resp.Body, &p); err != nil {
		return nil // The schema check already said so.
	}
	known, ok := ctr.problems[p.Slug()]
	if !ok {
		return []string{fmt.Sprintf("problem type %q is not in x-problems", p.Type)}
	}
	var problems []string
	if known.Status != resp.Status || p.Status != resp.Status {
		problems = append(problems, fmt.Sprintf("problem %s has HTTP status %d and status %d, x-problems says %d",
			p.Slug(), resp.Status, p.Status, known.Status))
	}
	if p.Title != known.Title {
		problems = append(problems, fmt.Sprintf("problem %s has title %q, x-problems says %q", p.Slug(), p.Title, known.Title))
	}
	return problems
}

// Response is a server's answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test when it cannot.
func (r *Response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("apitest: decoding a %d answer into %T: %v\n\tbody: %s", r.Status, v, err, snippet(r.Body))
	}
}

// Problem decodes the body as a problem, failing the test when the answer is not one.
func (r *Response) Problem(tb testing.TB) Problem {
	tb.Helper()
	if !isProblem(r.Header) {
		tb.Fatalf("apitest: a %d answer with Content-Type %q is not a problem\n\tbody: %s",
			r.Status, r.Header.Get("Content-Type"), snippet(r.Body))
	}
	var p Problem
	r.JSON(tb, &p)
	return p
}

// Problem is an RFC 9457 problem as the API answers it.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

// FieldError names one invalid field of a problem.
type FieldError struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// Slug is the problem type's name, such as "validation-failed".
func (p Problem) Slug() string {
	return strings.TrimPrefix(p.Type, "/problems/")
}

// Field returns the error about field, and whether there is one.
func (p Problem) Field(field string) (FieldError, bool) {
	for _, e := range p.Errors {
		if e.Field == field {
			return e, true
		}
	}
	return FieldError{}, false
}

// contract is openapi.yaml, loaded once per test binary.
type contract struct {
	router   routers.Router
	options  *openapi3filter.Options
	problem  *openapi3.Schema
	problems map[string]docs.ProblemType
}

var loadContract = sync.OnceValues(func() (*contract, error) {
	doc, err := openapi3.NewLoader().LoadFromData(advocateloop.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("loading openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml is invalid: %w", err)
	}
	// Test servers listen on any host and port.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("routing openapi.yaml: %w", err)
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil || problem.Value == nil {
		return nil, errors.New("openapi.yaml has no components.schemas.Problem")
	}
	types, err := docs.ProblemTypes(doc)
	if err != nil {
		return nil, err
	}
	problems := make(map[string]docs.ProblemType, len(types))
	for _, t := range types {
		problems[t.Slug] = t
	}
	return &contract{
		router: router,
		options: &openapi3filter.Options{
			// The server decides who gets in; its 401 answers are checked like any other.
			AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
			IncludeResponseStatus: true,
			MultiError:            true,
			SkipSettingDefaults:   true,
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.DisableSchemaErrorDetails(),
			},
		},
		problem:  problem.Value,
		problems: problems,
	}, nil
})

func cloneWithBody(req *http.Request, body []byte) *http.Request {
	cp := req.Clone(context.Background())
	cp.Body = io.NopCloser(bytes.NewReader(body))
	return cp
}

func isProblem(h http.Header) bool {
	mediaType, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mediaType == "application/problem+json"
}

// explain puts each of kin-openapi's joined errors on its own line.
func explain(err error) string {
	return strings.ReplaceAll(err.Error(), " | ", "\n\t")
}

func snippet(body []byte) string {
	const max = 2000
	if len(body) > max {
		return string(body[:max]) + "…"
	}
	return string(body)
}
