package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// An insert whose key turns out to be taken wrote nothing, and says so: an event that is not
// in the outbox queues no delivery, and no near-miss, hook, session, link or receipt is
// answered as kept when it was not.
func TestInsertsThatWriteNothingAreErrors(t *testing.T) {
	t.Parallel()
	db, p := mustDB(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Microsecond)
	inTx := func(fn func(referral.Tx) error) error { return db.InTx(ctx, fn) }
	count := func(table string) int {
		var n int
		if err := db.SQL().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	hook := &referral.Hook{ID: referral.NewID("hk", now), PracticeID: p.ID, Event: referral.AdvocateCreated,
		TargetURL: "https://203.0.113.10/hook", CreatedAt: now}
	event := &referral.Event{ID: referral.NewID("evt", now), PracticeID: p.ID, Type: referral.AdvocateCreated,
		CreatedAt: now, Data: []byte(`{}`)}
	if err := inTx(func(tx referral.Tx) error {
		if err := tx.InsertHook(hook); err != nil {
			return err
		}
		return tx.InsertEvent(event)
	}); err != nil {
		t.Fatal(err)
	}
	if count("deliveries") != 1 {
		t.Fatalf("%d deliveries after one event, want 1", count("deliveries"))
	}

	// A second hook, then the same event id again: refused, and the new hook gets nothing.
	other := &referral.Hook{ID: referral.NewID("hk", now), PracticeID: p.ID, Event: referral.AdvocateCreated,
		TargetURL: "https://203.0.113.11/hook", CreatedAt: now}
	if err := inTx(func(tx referral.Tx) error { return tx.InsertHook(other) }); err != nil {
		t.Fatal(err)
	}
	again := *event
	again.Data = []byte(`{"another":"event"}`)
	for name, insert := range map[string]func(referral.Tx) error{
		"event":     func(tx referral.Tx) error { return tx.InsertEvent(&again) },
		"hook":      func(tx referral.Tx) error { return tx.InsertHook(other) },
		"receipt":   func(tx referral.Tx) error { return insertReceiptTwice(tx, p.ID, now) },
		"session":   func(tx referral.Tx) error { return insertSessionTwice(tx, p.ID, now) },
		"near-miss": func(tx referral.Tx) error { return insertNearMissTwice(tx, p.ID, now) },
	} {
		err := inTx(insert)
		if err == nil || !strings.Contains(err.Error(), "not inserted") {
			t.Errorf("%s with a taken key: %v, want an error saying it was not inserted", name, err)
		}
	}
	if n := count("deliveries"); n != 1 {
		t.Errorf("%d deliveries after an event that was not written, want 1", n)
	}
	if n := count("events"); n != 1 {
		t.Errorf("%d events, want 1", n)
	}
}

func insertReceiptTwice(tx referral.Tx, practiceID string, now time.Time) error {
	r := &referral.WebhookReceipt{ID: referral.NewID("whr", now), PracticeID: practiceID, WebhookID: "msg_1",
		Kind: referral.PaymentWebhook, Outcome: "converted", ReceivedAt: now}
	if err := tx.InsertWebhookReceipt(r); err != nil {
		return err
	}
	return tx.InsertWebhookReceipt(r)
}

func insertSessionTwice(tx referral.Tx, practiceID string, now time.Time) error {
	staff, err := tx.ListStaff(practiceID)
	if err != nil {
		return err
	}
	s := &referral.Session{Hash: referral.HashSecret(referral.NewToken()), PracticeID: practiceID, StaffID: staff[0].ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := tx.InsertSession(s); err != nil {
		return err
	}
	return tx.InsertSession(s)
}

// insertNearMissTwice keeps a near-miss for a payer of a pending referral, then the same again.
func insertNearMissTwice(tx referral.Tx, practiceID string, now time.Time) error {
	a := &referral.Advocate{ID: referral.NewID("adv", now), PracticeID: practiceID, Name: "Jane Park",
		Email: "jane@example.com", Status: referral.Active, Code: referral.NewReferralCode(), CreatedAt: now, UpdatedAt: now}
	if _, err := tx.InsertAdvocate(a); err != nil {
		return err
	}
	r := &referral.Referral{ID: referral.NewID("ref", now), PracticeID: practiceID, AdvocateID: a.ID,
		FriendName: "Fran Fields", FriendEmail: "fran@example.com", Source: referral.SourceAPI,
		Status: referral.Pending, ClaimedAt: now}
	if _, err := tx.InsertReferral(r); err != nil {
		return err
	}
	n := &referral.NearMiss{ID: referral.NewID("nms", now), PracticeID: practiceID, ReferralID: r.ID,
		AdvocateID: a.ID, PayerName: "Fran Fields", InvoiceID: "INV-1",
		Amount: referral.Money{Minor: 25000, Currency: "USD"}, PaidAt: now, Reason: referral.NameMatch,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := tx.InsertNearMiss(n); err != nil {
		return err
	}
	return tx.InsertNearMiss(n)
}
