package referral_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// epoch is where every test's clock starts: mid-year, mid-day, far from any calendar edge.
var epoch = time.Date(2026, time.June, 15, 15, 0, 0, 0, time.UTC)

// clock is the settable time a test's Service reads.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// mustService returns a Service on the shared database, with a clock of its own.
func mustService(tb testing.TB) (*referral.Service, *clock) {
	tb.Helper()
	return newService(shared)
}

// mustIsolatedService returns a Service on a fresh database of its own, for operations that
// span every practice (purging near-misses).
func mustIsolatedService(tb testing.TB) (*referral.Service, *clock) {
	tb.Helper()
	return newService(testdb.MustOpen(tb))
}

func newService(db *storage.DB) (*referral.Service, *clock) {
	c := &clock{now: epoch}
	return &referral.Service{Store: db, Clock: c.Now, PublicURL: "https://refer.example"}, c
}

var practices atomic.Int64

// mustPractice starts a practice with the default reward policy (USD, America/New_York).
func mustPractice(tb testing.TB, s *referral.Service) *referral.Practice {
	tb.Helper()
	p, _, err := s.CreatePractice(context.Background(), referral.NewPractice{
		Name: fmt.Sprintf("Glow Aesthetics %d", practices.Add(1)), AdminEmail: "owner@glow.example"})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// mustSavePractice stores the changes a test made to p, its reward policy above all: the rules
// read the practice afresh in their own transaction.
func mustSavePractice(tb testing.TB, s *referral.Service, p *referral.Practice) {
	tb.Helper()
	if err := s.Store.InTx(context.Background(), func(tx referral.Tx) error { return tx.UpdatePractice(p) }); err != nil {
		tb.Fatal(err)
	}
}

// mustAdvocate adds a new advocate.
func mustAdvocate(tb testing.TB, s *referral.Service, p *referral.Practice, name, email string) *referral.Advocate {
	tb.Helper()
	a, created, err := s.CreateAdvocate(context.Background(), p, referral.NewAdvocate{Name: name, Email: email})
	if err != nil {
		tb.Fatalf("CreateAdvocate(%s): %v", email, err)
	}
	if !created {
		tb.Fatalf("CreateAdvocate(%s): created = false, want a new advocate", email)
	}
	return a
}

// mustReferral records a new claim by a friend of advocate a, through a's code.
func mustReferral(tb testing.TB, s *referral.Service, p *referral.Practice, a *referral.Advocate, name, email string) *referral.Referral {
	tb.Helper()
	r, created, err := s.ClaimReferral(context.Background(), p, referral.NewReferral{
		ReferralCode: a.Code, FriendName: name, FriendEmail: email, Source: referral.SourceLink})
	if err != nil {
		tb.Fatalf("ClaimReferral(%s): %v", email, err)
	}
	if !created {
		tb.Fatalf("ClaimReferral(%s): created = false, want a new referral", email)
	}
	return r
}

// mustRecord runs Record Conversion, which must not fail.
func mustRecord(tb testing.TB, s *referral.Service, p *referral.Practice, ev referral.PaymentEvent) *referral.ConversionResult {
	tb.Helper()
	res, err := s.RecordConversion(context.Background(), p, ev)
	if err != nil {
		tb.Fatalf("RecordConversion(%+v): %v", ev, err)
	}
	return res
}

// mustConvert records a payment that must convert, and returns its conversion.
func mustConvert(tb testing.TB, s *referral.Service, p *referral.Practice, ev referral.PaymentEvent) *referral.Conversion {
	tb.Helper()
	res := mustRecord(tb, s, p, ev)
	if res.Outcome != referral.OutcomeConverted || res.Replayed || res.Conversion == nil {
		tb.Fatalf("RecordConversion(%+v) = %+v, want a new conversion", ev, res)
	}
	return res.Conversion
}

// mustReverse runs Reverse Conversion, which must not fail.
func mustReverse(tb testing.TB, s *referral.Service, p *referral.Practice, ev referral.RefundEvent) *referral.ReversalResult {
	tb.Helper()
	res, err := s.ReverseConversion(context.Background(), p, ev)
	if err != nil {
		tb.Fatalf("ReverseConversion(%+v): %v", ev, err)
	}
	return res
}

// mustAdvocates, mustReferrals, … list everything of a practice (one full page).
func mustAdvocates(tb testing.TB, s *referral.Service, p *referral.Practice, f referral.AdvocateFilter) []referral.Advocate {
	tb.Helper()
	list, _, err := s.Advocates(context.Background(), p, f, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

func mustReferrals(tb testing.TB, s *referral.Service, p *referral.Practice, f referral.ReferralFilter) []referral.Referral {
	tb.Helper()
	list, _, err := s.Referrals(context.Background(), p, f, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

func mustConversions(tb testing.TB, s *referral.Service, p *referral.Practice) []referral.Conversion {
	tb.Helper()
	list, _, err := s.Conversions(context.Background(), p, referral.ConversionFilter{}, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

func mustRewards(tb testing.TB, s *referral.Service, p *referral.Practice, f referral.RewardFilter) []referral.Reward {
	tb.Helper()
	list, _, err := s.Rewards(context.Background(), p, f, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

func mustNearMisses(tb testing.TB, s *referral.Service, p *referral.Practice) []referral.NearMiss {
	tb.Helper()
	list, _, err := s.NearMisses(context.Background(), p, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

// mustEvents lists a practice's outbox events of one type ("" for all), newest first.
func mustEvents(tb testing.TB, s *referral.Service, p *referral.Practice, eventType string) []referral.Event {
	tb.Helper()
	list, _, err := s.Events(context.Background(), p, eventType, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

// wantEvents checks the practice's whole outbox holds exactly these event types. Order is not
// compared: ids order events by millisecond, and a test's clock stands still unless moved.
func wantEvents(tb testing.TB, s *referral.Service, p *referral.Practice, want ...string) {
	tb.Helper()
	var got []string
	for _, e := range mustEvents(tb, s, p, "") {
		got = append(got, e.Type)
	}
	want = slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		tb.Fatalf("events = %q, want %q", got, want)
	}
}

// wantError checks err is a domain error with code and, if given, exactly these invalid fields.
func wantError(tb testing.TB, err error, code string, fields ...string) {
	tb.Helper()
	if got := referral.ErrorCode(err); got != code {
		tb.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
	if len(fields) == 0 {
		return
	}
	if got := errorFields(err); !slices.Equal(got, fields) {
		tb.Fatalf("invalid fields = %q, want %q (%v)", got, fields, err)
	}
}

// errorFields names the invalid fields of a domain error, sorted.
func errorFields(err error) []string {
	var e *referral.Error
	if !errors.As(err, &e) {
		return nil
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	slices.Sort(names)
	return names
}

// pay is a payment event for email: a paid invoice of 250.00 in the practice currency.
func pay(invoiceID, email string) referral.PaymentEvent {
	return referral.PaymentEvent{InvoiceID: invoiceID, Email: email, Amount: "250.00"}
}
