package app_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// race sends n requests at once, released together by a start barrier, and returns answers.
func race(n int, send func(i int) (int, referral.ConversionResult)) ([]int, []referral.ConversionResult) {
	statuses, results := make([]int, n), make([]referral.ConversionResult, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i], results[i] = send(i)
		}()
	}
	close(start)
	wg.Wait()
	return statuses, results
}

func (s *server) mustReferral(t *testing.T, p *practice, friendEmail string) {
	t.Helper()
	var a referral.Advocate
	p.Client.Post("/v1/advocates", map[string]any{"name": "Jane Avery", "email": "jane@example.com"}).JSON(t, &a)
	res := p.Client.Post("/v1/referrals", map[string]any{"advocate_id": a.ID, "friend_name": "Fran Fields", "friend_email": friendEmail})
	if res.Status != 201 {
		t.Fatalf("referral: %d %s", res.Status, res.Body)
	}
}

// TestSamePaymentAtOnce: Zapier retries and parallel Zap runs deliver one payment many times
// at once; exactly one conversion, one reward and one event come of it.
func TestSamePaymentAtOnce(t *testing.T) {
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	s.mustReferral(t, p, "fran@example.com")

	statuses, results := race(100, func(int) (int, referral.ConversionResult) {
		res := p.Client.Post("/v1/conversions", map[string]any{"invoice_id": "INV-1001", "email": "fran@example.com", "amount": 250})
		var r referral.ConversionResult
		if res.Status < 300 {
			res.JSON(t, &r)
		}
		return res.Status, r
	})
	created := 0
	for i, status := range statuses {
		if status != 200 && status != 201 {
			t.Fatalf("answer %d: status %d", i, status)
		}
		if status == 201 {
			created++
		}
		if results[i].Conversion == nil || results[i].Conversion.ID != results[0].Conversion.ID {
			t.Fatalf("answer %d: %+v, want conversion %+v", i, results[i], results[0].Conversion)
		}
	}
	if created != 1 {
		t.Errorf("%d answers were 201 Created, want exactly 1", created)
	}
	assertCounts(t, s, map[string]int{"conversions": 1, "rewards": 1, "payments": 1})
	if n := countEvents(t, s, referral.ConversionRecorded); n != 1 {
		t.Errorf("%d conversion.recorded events, want 1", n)
	}
}

// TestManyInvoicesOneReferral: a friend paying several invoices at once converts once.
func TestManyInvoicesOneReferral(t *testing.T) {
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	s.mustReferral(t, p, "fran@example.com")

	statuses, results := race(50, func(i int) (int, referral.ConversionResult) {
		res := p.Client.Post("/v1/conversions", map[string]any{"invoice_id": fmt.Sprintf("INV-%d", i), "email": "fran@example.com", "amount": "99.50"})
		var r referral.ConversionResult
		if res.Status < 300 {
			res.JSON(t, &r)
		}
		return res.Status, r
	})
	converted := 0
	for i, status := range statuses {
		switch {
		case status == 201 && results[i].Outcome == referral.OutcomeConverted:
			converted++
		case status == 200 && results[i].Outcome == referral.OutcomeAlreadyRewarded:
		default:
			t.Fatalf("answer %d: %d %+v", i, status, results[i])
		}
	}
	if converted != 1 {
		t.Errorf("%d invoices converted, want 1", converted)
	}
	assertCounts(t, s, map[string]int{"conversions": 1, "rewards": 1, "payments": 50})
	if n := countEvents(t, s, referral.ConversionRecorded); n != 1 {
		t.Errorf("%d conversion.recorded events, want 1", n)
	}
}

func assertCounts(t *testing.T, s *server, want map[string]int) {
	t.Helper()
	for table, n := range want {
		if got := s.count(t, table); got != n {
			t.Errorf("%s has %d rows, want %d", table, got, n)
		}
	}
}

func countEvents(t *testing.T, s *server, eventType string) int {
	t.Helper()
	var n int
	if err := s.App.DB.SQL().QueryRow("SELECT COUNT(*) FROM events WHERE type = $1", eventType).Scan(&n); err != nil {
		t.Fatalf("count events: %v", err)
	}
	return n
}
