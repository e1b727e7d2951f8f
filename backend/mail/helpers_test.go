package mail_test

import (
	"context"
	"crypto/tls"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/mailtest"
	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/mail"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/storage"
)

const public = "https://refer.example.com"

// clock is the test's time, shared by the service and the worker.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a practice on a fresh database, a real SMTP server and a worker sending to it.
type fixture struct {
	db     *storage.DB
	svc    *referral.Service
	clock  *clock
	p      *referral.Practice
	server *mailtest.Server // nil in mailbox mode
	sender *mail.Sender
	worker *mail.Worker
}

// mustFixture starts an SMTP server with opts and a worker that sends to it.
func mustFixture(t *testing.T, opts ...mailtest.Option) *fixture {
	t.Helper()
	srv := mailtest.Start(t, opts...)
	f := mustFixtureFor(t, srv.URL())
	f.server = srv
	f.sender.TLSConfig = &tls.Config{RootCAs: srv.RootCAs()}
	return f
}

// mustFixtureFor is a fixture whose worker sends to smtpURL; empty means the built-in mailbox.
func mustFixtureFor(t *testing.T, smtpURL string) *fixture {
	t.Helper()
	db := testdb.MustOpen(t)
	// Mid-year, mid-day: far from any calendar edge. Nothing compares it with the real date.
	c := &clock{t: time.Date(2026, time.June, 15, 15, 0, 0, 0, time.UTC)}
	f := &fixture{db: db, clock: c, svc: &referral.Service{Store: db, Clock: c.Now, PublicURL: public}}
	sender, err := mail.NewSender(smtpURL, "", public)
	if err != nil {
		t.Fatal(err)
	}
	f.sender = sender
	f.sender.Timeout = 2 * time.Second
	f.worker = mail.NewWorker(db, f.svc, f.sender, time.Second)
	f.worker.Now = c.Now
	f.worker.Log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	f.p = f.mustPractice(t)
	return f
}

// testWriter sends the worker's log to the test's, shown when it fails.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// mustPractice is Glow Aesthetics with everything a message can show: colour, logo, booking
// link, friend offer and a contact address for replies.
func (f *fixture) mustPractice(t *testing.T) *referral.Practice {
	t.Helper()
	ctx := context.Background()
	p, _, err := f.svc.CreatePractice(ctx, referral.NewPractice{Name: "Glow Aesthetics", AdminEmail: "owner@glow.example"})
	if err != nil {
		t.Fatal(err)
	}
	p, err = f.svc.UpdateSettings(ctx, p, referral.PracticeSettings{BrandColor: "#f5d142",
		LogoURL: "https://glow.example/logo.png", BookingURL: "https://glow.example/book",
		FriendOffer:  referral.FriendOffer{Description: "20% off your first facial", WelcomeCode: "HELLO20"},
		ContactEmail: "frontdesk@glow.example"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) mustAdvocate(t *testing.T, name, email string) *referral.Advocate {
	t.Helper()
	a, _, err := f.svc.CreateAdvocate(context.Background(), f.p, referral.NewAdvocate{Name: name, Email: email})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) mustReferral(t *testing.T, a *referral.Advocate, name, email string) {
	t.Helper()
	_, _, err := f.svc.ClaimReferral(context.Background(), f.p, referral.NewReferral{
		ReferralCode: a.Code, FriendName: name, FriendEmail: email, Source: referral.SourceAPI})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) mustPay(t *testing.T, invoice, email, amount string) *referral.ConversionResult {
	t.Helper()
	res, err := f.svc.RecordConversion(context.Background(), f.p, referral.PaymentEvent{InvoiceID: invoice, Email: email, Amount: referral.Amount(amount)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (f *fixture) mustRefund(t *testing.T, invoice string) {
	t.Helper()
	if _, err := f.svc.ReverseConversion(context.Background(), f.p, referral.RefundEvent{InvoiceID: invoice}); err != nil {
		t.Fatal(err)
	}
}

// run is one pass of the worker, which must not fail; it returns how many it attempted.
func (f *fixture) run(t *testing.T) int {
	t.Helper()
	n, err := f.worker.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return n
}

// messages lists the practice's outbox, oldest first.
func (f *fixture) messages(t *testing.T) []referral.Message {
	t.Helper()
	var list []referral.Message
	for cursor := ""; ; {
		page, next, err := f.svc.Messages(context.Background(), f.p, referral.MessageFilter{}, referral.Page{Limit: referral.MaxPageSize, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if list = append(list, page...); next == "" {
			break
		}
		cursor = next
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

// only is the one message of kind in the outbox.
func (f *fixture) only(t *testing.T, kind string) referral.Message {
	t.Helper()
	var found []referral.Message
	for _, m := range f.messages(t) {
		if m.Kind == kind {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s messages in the outbox, want 1", len(found), kind)
	}
	return found[0]
}

// received is every message the SMTP server has, parsed, by Message-ID.
func (f *fixture) received(t *testing.T) map[string]*mailtest.Parsed {
	t.Helper()
	out := map[string]*mailtest.Parsed{}
	for _, m := range f.server.Messages() {
		p := mailtest.MustParse(t, m.Raw)
		id := p.Header.Get("Message-ID")
		if out[id] != nil {
			t.Errorf("%s arrived twice", id)
		}
		out[id] = p
	}
	return out
}

// messageID is the Message-ID the worker gives m.
func messageID(m referral.Message) string { return "<" + m.ID + "@refer.example.com>" }
