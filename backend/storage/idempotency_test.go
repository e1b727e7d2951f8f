package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// mustDB is a migrated database of the kind the test run uses, with one practice in it.
func mustDB(tb testing.TB) (*storage.DB, *referral.Practice) {
	tb.Helper()
	db := testdb.MustOpen(tb)
	svc := &referral.Service{Store: db}
	p, _, err := svc.CreatePractice(context.Background(), referral.NewPractice{Name: "Glow Aesthetics", AdminEmail: "admin@glow.example"})
	if err != nil {
		tb.Fatal(err)
	}
	return db, p
}

// mustAdvocate returns a Service on db and a new advocate of practice p.
func mustAdvocate(tb testing.TB, db *storage.DB, p *referral.Practice) (*referral.Service, *referral.Advocate) {
	tb.Helper()
	svc := &referral.Service{Store: db}
	a, _, err := svc.CreateAdvocate(context.Background(), p, referral.NewAdvocate{Name: "Jane Park", Email: "jane@example.com"})
	if err != nil {
		tb.Fatal(err)
	}
	return svc, a
}

// A claim stays held while its request renews it, and lapses one lease after the last
// renewal: a dead server's key is free again within seconds, a live one's never.
func TestIdempotencyClaimLapsesOnlyWithoutRenewal(t *testing.T) {
	t.Parallel()
	db, p := mustDB(t)
	ctx := context.Background()
	lease := db.IdempotencyLease()
	if lease != storage.DefaultIdempotencyLease || lease > 10*time.Second {
		t.Fatalf("lease %v, want storage.DefaultIdempotencyLease, a few seconds", lease)
	}
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) // the store compares only the times it is given
	claim := func(key string, at time.Time) *storage.KeptResponse {
		t.Helper()
		kept, err := db.ClaimIdempotencyKey(ctx, p.ID, key, "hash", at)
		if err != nil {
			t.Fatal(err)
		}
		return kept
	}

	if claim("alive", t0) != nil || claim("dead", t0) != nil {
		t.Fatal("a new key was not claimed")
	}
	for at := t0.Add(lease / 2); at.Before(t0.Add(5 * lease)); at = at.Add(lease / 2) {
		if err := db.RenewIdempotencyKey(ctx, p.ID, "alive", at); err != nil {
			t.Fatal(err)
		}
	}
	last := t0.Add(5*lease - lease/2)
	if kept := claim("alive", last.Add(lease-time.Millisecond)); kept == nil || kept.Status != 0 {
		t.Errorf("a renewed claim was taken over: %+v", kept)
	}
	if kept := claim("dead", t0.Add(lease-time.Millisecond)); kept == nil || kept.Status != 0 {
		t.Errorf("a claim within its lease was taken over: %+v", kept)
	}
	if kept := claim("dead", t0.Add(lease+time.Millisecond)); kept != nil {
		t.Errorf("a claim a lease past its last renewal is still held: %+v", kept)
	}

	// An answer, once kept, is not a claim: it stays for the whole window, renewed or not.
	if err := db.SaveIdempotentResponse(ctx, p.ID, "alive", &storage.KeptResponse{Status: 201, ContentType: "application/json", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if err := db.RenewIdempotencyKey(ctx, p.ID, "alive", last.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if kept := claim("alive", last.Add(storage.IdempotencyWindow-time.Minute)); kept == nil || kept.Status != 201 {
		t.Errorf("the kept answer: %+v", kept)
	}
	if kept := claim("alive", last.Add(storage.IdempotencyWindow+time.Minute)); kept != nil {
		t.Errorf("an answer past the window is still kept: %+v", kept)
	}
}
