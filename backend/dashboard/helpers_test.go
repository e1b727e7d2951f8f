package dashboard_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/app"
	"github.com/advocateloop/advocateloop/backend/dashboard"
	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/storage"
	"github.com/advocateloop/advocateloop/backend/web"
)

// site is the whole HTTP surface as the app wires it, on a fresh database, with a clock tests move.
type site struct {
	URL     string
	Service *referral.Service
	DB      *storage.DB
	mu      sync.Mutex
	offset  time.Duration
}

func (s *site) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Now().Add(s.offset)
}

// advance moves the site's clock forward.
func (s *site) advance(d time.Duration) {
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

func mustServe(tb testing.TB) *site {
	tb.Helper()
	db := testdb.MustOpen(tb)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	s := &site{URL: base, DB: db}
	s.Service = &referral.Service{Store: db, PublicURL: base, Clock: s.now}
	srv.Config.Handler = app.Router(app.Routes{PublicURL: base,
		Web:       web.Handler(web.Deps{Service: s.Service, RateLimit: 1000, Burst: 1000}),
		Dashboard: dashboard.Handler(dashboard.Deps{Service: s.Service})})
	srv.Start()
	tb.Cleanup(srv.Close)
	return s
}

// browser is a person's browser: its own cookies, redirects not followed, so tests see them.
type browser struct {
	tb     testing.TB
	site   *site
	client *http.Client
	csrf   string // the token of the last page that had a form
}

func (s *site) browser(tb testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{tb: tb, site: s, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// browserAt is a browser connecting from another loopback address, such as 127.0.0.2: to
// the server, another client.
func (s *site) browserAt(tb testing.TB, ip string) *browser {
	b := s.browser(tb)
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	transport := &http.Transport{DialContext: dialer.DialContext}
	tb.Cleanup(transport.CloseIdleConnections)
	b.client.Transport = transport
	return b
}

type page struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) page {
	b.tb.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfField.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return page{Status: res.StatusCode, Body: string(body), Location: res.Header.Get("Location"), Header: res.Header}
}

func (b *browser) get(path string) page {
	b.tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.site.URL+path, nil)
	return b.do(req)
}

// post sends a form with the CSRF token of the last page seen (unless the form sets its own),
// and headers in name, value pairs.
func (b *browser) post(path string, form url.Values, headers ...string) page {
	b.tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.site.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

func want(tb testing.TB, p page, status int, texts ...string) {
	tb.Helper()
	if p.Status != status {
		tb.Fatalf("status %d, want %d; location %q; body:\n%s", p.Status, status, p.Location, p.Body)
	}
	for _, t := range texts {
		if !strings.Contains(p.Body, t) {
			tb.Fatalf("page lacks %q; body:\n%s", t, p.Body)
		}
	}
}

func wantRedirect(tb testing.TB, p page, location string) {
	tb.Helper()
	if p.Status != http.StatusSeeOther || p.Location != location {
		tb.Fatalf("got %d to %q, want 303 to %q; body:\n%s", p.Status, p.Location, location, p.Body)
	}
}

const password = "correct horse battery"

// practice is a practice with a signed-in admin.
type practice struct {
	*referral.Practice
	Admin *browser
	Email string
}

// mustPractice creates a practice, sets its admin's password through the set-up link and
// signs the admin in.
func (s *site) mustPractice(tb testing.TB, name string) *practice {
	tb.Helper()
	email := "admin@" + strings.ToLower(strings.ReplaceAll(name, " ", "")) + ".example"
	p, secrets, err := s.Service.CreatePractice(context.Background(), referral.NewPractice{Name: name, AdminEmail: email})
	if err != nil {
		tb.Fatalf("create practice: %v", err)
	}
	b := s.browser(tb)
	b.get("/setup/" + secrets.SetupToken)
	wantRedirect(tb, b.post("/setup/"+secrets.SetupToken, url.Values{"password": {password}, "confirm": {password}}), "/app")
	b.get("/app")
	return &practice{Practice: p, Admin: b, Email: email}
}

// signIn signs a new browser in as email.
func (s *site) signIn(tb testing.TB, email, pw string) *browser {
	tb.Helper()
	b := s.browser(tb)
	b.get("/login")
	wantRedirect(tb, b.post("/login", url.Values{"email": {email}, "password": {pw}}), "/app")
	b.get("/app")
	return b
}

// frontDesk invites a front-desk colleague to p and signs them in.
func (s *site) frontDesk(tb testing.TB, p *practice) *browser {
	tb.Helper()
	email := "desk@" + p.Slug + ".example"
	_, token, err := s.Service.InviteStaff(context.Background(), p.Practice, referral.NewStaff{Email: email, Role: referral.FrontDesk})
	if err != nil {
		tb.Fatalf("invite: %v", err)
	}
	if _, err := s.Service.SetPassword(context.Background(), token, password, password); err != nil {
		tb.Fatalf("set password: %v", err)
	}
	return s.signIn(tb, email, password)
}

// mustConversion has advocate refer friend, who pays invoice: a conversion with a reward.
func (s *site) mustConversion(tb testing.TB, p *referral.Practice, advocate, friend, invoice string) *referral.Conversion {
	tb.Helper()
	ctx := context.Background()
	slug := strings.ToLower(regexp.MustCompile(`[^A-Za-z]`).ReplaceAllString(advocate, ""))
	a, _, err := s.Service.CreateAdvocate(ctx, p, referral.NewAdvocate{Name: advocate, Email: slug + "@patients.example"})
	if err != nil {
		tb.Fatalf("advocate: %v", err)
	}
	femail := strings.ToLower(strings.Fields(friend)[0]) + "." + invoice + "@patients.example"
	if _, _, err := s.Service.ClaimReferral(ctx, p, referral.NewReferral{AdvocateID: a.ID, FriendName: friend, FriendEmail: femail}); err != nil {
		tb.Fatalf("claim: %v", err)
	}
	res, err := s.Service.RecordConversion(ctx, p, referral.PaymentEvent{InvoiceID: invoice, Email: femail, Name: friend, Amount: "250.00"})
	if err != nil || res.Conversion == nil {
		tb.Fatalf("record conversion: %v %+v", err, res)
	}
	return res.Conversion
}
