package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// Migration 11 keeps what came before it: a referral left reversed is pending again, an
// invoice that converted two referrals (possible before) keeps both standing without blocking
// the migration, and a refund without an id keeps its key. Afterwards the new rules hold.
func TestMigrationLetsRefundedReferralsConvertAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := storage.Open(testdb.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := storage.MigrateTo(ctx, db, 10); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC) // a stored time, never compared with now
	for _, stmt := range []string{
		`INSERT INTO practices (id, name, slug, currency, time_zone, reward_kind, reward_minor, annual_cap,
			minimum_minor, webhook_secret, created_at) VALUES ('prc_1', 'Glow', 'glow', 'USD', 'America/New_York',
			'discount_code', 5000, 10, 1, 'whsec_x', $at)`,
		`INSERT INTO advocates (id, practice_id, name, email, status, code, created_at, updated_at)
			VALUES ('adv_1', 'prc_1', 'Jane Park', 'jane@example.com', 'active', 'JANE7K2Q', $at, $at)`,
		`INSERT INTO referrals (id, practice_id, advocate_id, friend_name, friend_email, source, status, claimed_at, converted_at) VALUES
			('ref_1', 'prc_1', 'adv_1', 'Fran Fields', 'fran@example.com', 'link', 'reversed', $at, $at),
			('ref_2', 'prc_1', 'adv_1', 'Gus Green', 'gus@example.com', 'link', 'converted', $at, $at),
			('ref_3', 'prc_1', 'adv_1', 'Hal Hill', 'hal@example.com', 'link', 'converted', $at, $at)`,
		`INSERT INTO conversions (id, practice_id, referral_id, advocate_id, invoice_id, amount_minor, currency, paid_at, source, status, reversed_at, created_at) VALUES
			('cnv_1', 'prc_1', 'ref_1', 'adv_1', 'INV-1', 25000, 'USD', $at, 'payment', 'reversed', $at, $at),
			('cnv_2', 'prc_1', 'ref_2', 'adv_1', 'INV-2', 25000, 'USD', $at, 'payment', 'rewarded', NULL, $at),
			('cnv_3', 'prc_1', 'ref_3', 'adv_1', 'INV-2', 25000, 'USD', $at, 'manual', 'rewarded', NULL, $at)`,
		`INSERT INTO rewards (id, practice_id, advocate_id, conversion_id, kind, code, amount_minor, currency, status, issued_at)
			VALUES ('rwd_2', 'prc_1', 'adv_1', 'cnv_2', 'discount_code', 'AL-22222222', 5000, 'USD', 'issued', $at)`,
		`INSERT INTO refunds (id, practice_id, invoice_id, amount_minor, currency, outcome, conversion_id, created_at)
			VALUES ('rfd_1', 'prc_1', 'INV-1', NULL, NULL, 'reversed', 'cnv_1', $at)`,
	} {
		query, args := bindTime(stmt, at, db.Postgres())
		if _, err := db.SQL().ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	// A reward from before keeps its payment's time, which the yearly cap counts by.
	var paidAt time.Time
	if err := db.SQL().QueryRowContext(ctx, "SELECT paid_at FROM rewards WHERE id = 'rwd_2'").Scan(&paidAt); err != nil || !paidAt.Equal(at) {
		t.Errorf("the old reward's paid_at = %v, %v; want %v", paidAt, err, at)
	}

	s := &referral.Service{Store: db, Clock: func() time.Time { return at.AddDate(0, 1, 0) }, PublicURL: "https://refer.example"}
	p, err := s.Practice(ctx, "prc_1")
	if err != nil {
		t.Fatal(err)
	}
	// Fran, reversed before, converts again on a new invoice.
	res, err := s.RecordConversion(ctx, p, referral.PaymentEvent{InvoiceID: "INV-3", Email: "fran@example.com", Amount: "250"})
	if err != nil || res.Outcome != referral.OutcomeConverted {
		t.Fatalf("Fran's new payment = %+v, %v; want converted", res, err)
	}
	// The full refund kept from before still replays as itself.
	rev, err := s.ReverseConversion(ctx, p, referral.RefundEvent{InvoiceID: "INV-1"})
	if err != nil || !rev.Replayed || rev.Outcome != referral.OutcomeReversed {
		t.Errorf("the old refund again = %+v, %v; want a replay", rev, err)
	}
	// The invoice that converted two referrals before still refunds; no new one can share it.
	if rev, err := s.ReverseConversion(ctx, p, referral.RefundEvent{InvoiceID: "INV-2"}); err != nil || rev.Outcome != referral.OutcomeReversed {
		t.Errorf("refund of INV-2 = %+v, %v; want reversed", rev, err)
	}
	if _, err := s.ConvertManually(ctx, p, referral.ManualConversion{ReferralID: "ref_1", InvoiceID: "INV-3"}); referral.ErrorCode(err) != referral.EAlreadyConverted {
		t.Errorf("converting Fran again by hand: %v, want already-converted", err)
	}
}

// bindTime puts a placeholder for at in place of every $at in stmt, in the engine's style.
func bindTime(stmt string, at time.Time, postgres bool) (string, []any) {
	var args []any
	for strings.Contains(stmt, "$at") {
		args = append(args, at)
		mark := "?"
		if postgres {
			mark = fmt.Sprintf("$%d", len(args))
		}
		stmt = strings.Replace(stmt, "$at", mark, 1)
	}
	return stmt, args
}
