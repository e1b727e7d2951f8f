package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/apitest"
	"github.com/advocateloop/advocateloop/backend/app"
	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/web"
)

// site is the whole HTTP surface as the app wires it, the web handler mounted in the API's
// engine behind its middleware, on a fresh database of the kind the test run uses. Its public
// URL is its own address, so the links it hands out can be followed.
type site struct {
	URL     string
	Service *referral.Service
	Client  *apitest.Client // checks JSON answers against openapi.yaml
	ahead   atomic.Int64    // how far the service's clock runs ahead of the real one
}

// mustServe starts a site whose rate limits stay out of the way, unless change sets them.
func mustServe(tb testing.TB, change ...func(*web.Deps)) *site {
	tb.Helper()
	db := testdb.MustOpen(tb)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	s := &site{URL: base}
	svc := &referral.Service{Store: db, PublicURL: base,
		Clock: func() time.Time { return time.Now().Add(time.Duration(s.ahead.Load())) }}
	deps := web.Deps{Service: svc, RateLimit: 1000, Burst: 1000}
	for _, f := range change {
		f(&deps)
	}
	srv.Config.Handler = app.Router(app.Routes{PublicURL: base, Web: web.Handler(deps)})
	srv.Start()
	tb.Cleanup(srv.Close)
	s.Service, s.Client = svc, apitest.NewClient(tb, base)
	return s
}

// advance moves the service's clock on, for links and sessions that expire.
func (s *site) advance(d time.Duration) { s.ahead.Add(int64(d)) }

var practices atomic.Int64

// mustPractice starts a practice named name (made unique) with settings.
func (s *site) mustPractice(tb testing.TB, name string, settings referral.PracticeSettings) *referral.Practice {
	tb.Helper()
	p, _, err := s.Service.CreatePractice(context.Background(), referral.NewPractice{
		Name: fmt.Sprintf("%s %d", name, practices.Add(1)), AdminEmail: "owner@glow.example"})
	if err != nil {
		tb.Fatal(err)
	}
	if p, err = s.Service.UpdateSettings(context.Background(), p, settings); err != nil {
		tb.Fatal(err)
	}
	return p
}

func (s *site) mustAdvocate(tb testing.TB, p *referral.Practice, name, email string) *referral.Advocate {
	tb.Helper()
	a, _, err := s.Service.CreateAdvocate(context.Background(), p, referral.NewAdvocate{Name: name, Email: email})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func (s *site) advocates(tb testing.TB, p *referral.Practice) []referral.Advocate {
	tb.Helper()
	list, _, err := s.Service.Advocates(context.Background(), p, referral.AdvocateFilter{}, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

func (s *site) referrals(tb testing.TB, p *referral.Practice) []referral.Referral {
	tb.Helper()
	list, _, err := s.Service.Referrals(context.Background(), p, referral.ReferralFilter{}, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

// messages is the practice's outbox, newest first.
func (s *site) messages(tb testing.TB, p *referral.Practice) []referral.Message {
	tb.Helper()
	list, _, err := s.Service.Messages(context.Background(), p, referral.MessageFilter{}, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

// lastMessage is the newest message of kind to address; it fails the test when there is none.
func (s *site) lastMessage(tb testing.TB, p *referral.Practice, kind, to string) referral.Message {
	tb.Helper()
	for _, m := range s.messages(tb, p) {
		if m.Kind == kind && m.To == to {
			return m
		}
	}
	tb.Fatalf("no %s message to %s", kind, to)
	return referral.Message{}
}

// pathOf is a link's path and query on this site, as the site's own pages would link it.
func (s *site) pathOf(tb testing.TB, link string) string {
	tb.Helper()
	if !strings.HasPrefix(link, s.URL+"/") {
		tb.Fatalf("the link %q is not on this site (%s)", link, s.URL)
	}
	return strings.TrimPrefix(link, s.URL)
}

// tokenOf is the token a one-time link carries in its query string.
func tokenOf(tb testing.TB, link string) string {
	tb.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		tb.Fatalf("the link %q carries no token", link)
	}
	return u.Query().Get("token")
}

// response is an answer, body read; Body is the text a browser gets after decoding.
type response struct {
	Status int
	Header http.Header
	Body   string
}

// client sends no Accept-Encoding of its own, so bodies arrive as served, and follows no
// redirects.
var client = &http.Client{
	Transport:     &http.Transport{DisableCompression: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// do sends a request; headers are name, value pairs.
func (s *site) do(tb testing.TB, method, path string, body io.Reader, headers ...string) *response {
	tb.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading: %v", method, path, err)
	}
	return &response{Status: res.StatusCode, Header: res.Header, Body: string(b)}
}

func (s *site) get(tb testing.TB, path string, headers ...string) *response {
	tb.Helper()
	return s.do(tb, http.MethodGet, path, nil, headers...)
}

// postForm sends a form as a browser does.
func (s *site) postForm(tb testing.TB, path string, form url.Values, headers ...string) *response {
	tb.Helper()
	headers = append([]string{"Content-Type", "application/x-www-form-urlencoded"}, headers...)
	return s.do(tb, http.MethodPost, path, strings.NewReader(form.Encode()), headers...)
}

func person(name, email string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "website": {""}}
}

// wantPage checks an HTML page's status and that it holds every text (as HTML source).
func wantPage(tb testing.TB, r *response, status int, texts ...string) {
	tb.Helper()
	if r.Status != status {
		tb.Fatalf("status %d, want %d\n%s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		tb.Errorf("Content-Type %q, want HTML", ct)
	}
	for _, text := range texts {
		if !strings.Contains(r.Body, text) {
			tb.Errorf("the page lacks %q\n%s", text, r.Body)
		}
	}
	checkPage(tb, r.Body)
}

func wantNone(tb testing.TB, r *response, texts ...string) {
	tb.Helper()
	for _, text := range texts {
		if strings.Contains(r.Body, text) {
			tb.Errorf("the answer holds %q, which it must not\n%s", text, r.Body)
		}
	}
}
