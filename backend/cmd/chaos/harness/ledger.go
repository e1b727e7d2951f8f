package harness

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Ledger remembers everything the server acknowledged with a 2xx, to look for it in the
// database at the end. It is safe for concurrent use.
type Ledger struct {
	mu   sync.Mutex
	kept map[string]map[string]bool // what → keys acknowledged
}

// What the ledger keeps, each with the query that lists what the database holds of it.
const (
	KeptAdvocate   = "advocate"
	KeptReferral   = "referral"
	KeptConversion = "conversion"
	KeptPayment    = "payment"    // practice, invoice and payment id: every recorded payment
	KeptRefund     = "refund"     // practice, invoice and refund id
	KeptRedemption = "redemption" // a reward code, redeemed
)

var held = map[string]string{
	KeptAdvocate:   "SELECT id FROM advocates",
	KeptReferral:   "SELECT id FROM referrals",
	KeptConversion: "SELECT id FROM conversions",
	KeptPayment:    "SELECT practice_id || '|' || invoice_id || '|' || payment_id FROM payments",
	KeptRefund:     "SELECT practice_id || '|' || invoice_id || '|' || refund_id FROM refunds",
	KeptRedemption: "SELECT code FROM rewards WHERE status = 'redeemed'",
}

// NewLedger is an empty ledger.
func NewLedger() *Ledger { return &Ledger{kept: map[string]map[string]bool{}} }

// Keep records an acknowledged thing: Keep(KeptPayment, practiceID, invoiceID, paymentID).
func (l *Ledger) Keep(what string, key ...string) {
	k := key[0]
	for _, part := range key[1:] {
		k += "|" + part
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.kept[what] == nil {
		l.kept[what] = map[string]bool{}
	}
	l.kept[what][k] = true
}

// Count is how many things of a kind were acknowledged.
func (l *Ledger) Count(what string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.kept[what])
}

// Audit reads the database and reports, in t, what was acknowledged but is missing, and
// every reward or conversion that exists twice.
func (l *Ledger) Audit(ctx context.Context, db *sql.DB, t *Tally) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	lost := 0
	for what, keys := range l.kept {
		have, err := column(ctx, db, held[what])
		if err != nil {
			return fmt.Errorf("chaos: audit %ss: %w", what, err)
		}
		missing := 0
		for k := range keys {
			if !have[k] {
				missing++
			}
		}
		if missing > 0 {
			t.Note("%d acknowledged %ss are not in the database", missing, what)
		}
		lost += missing
	}
	dups, err := Duplicates(ctx, db, t)
	if err != nil {
		return err
	}
	t.Audited(lost, dups)
	return nil
}

// doubled are queries for what must exist at most once; each row is one thing too many.
var doubled = map[string]string{
	"standing rewards for one conversion": `SELECT conversion_id, COUNT(*) - 1 FROM rewards
		WHERE status <> 'voided' GROUP BY conversion_id HAVING COUNT(*) > 1`,
	"standing conversions for one invoice": `SELECT practice_id || '|' || invoice_id, COUNT(*) - 1 FROM conversions
		WHERE status = 'rewarded' GROUP BY practice_id, invoice_id HAVING COUNT(*) > 1`,
	"standing conversions for one referral": `SELECT referral_id, COUNT(*) - 1 FROM conversions
		WHERE status = 'rewarded' GROUP BY referral_id HAVING COUNT(*) > 1`,
	"payments for one natural key": `SELECT practice_id || '|' || invoice_id || '|' || payment_id, COUNT(*) - 1
		FROM payments GROUP BY practice_id, invoice_id, payment_id HAVING COUNT(*) > 1`,
}

// Duplicates counts rewards and conversions that exist more than once in the whole database.
func Duplicates(ctx context.Context, db *sql.DB, t *Tally) (int, error) {
	total := 0
	for what, query := range doubled {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return 0, fmt.Errorf("chaos: count %s: %w", what, err)
		}
		for rows.Next() {
			var key string
			var extra int
			if err := rows.Scan(&key, &extra); err != nil {
				rows.Close()
				return 0, err
			}
			total += extra
			t.Note("%d %s too many: %s", extra, what, key)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// column reads a one-column query into a set.
func column(ctx context.Context, db *sql.DB, query string) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var v sql.NullString
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		set[v.String] = true
	}
	return set, rows.Err()
}
