package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Recording a payment: the statements Record Conversion runs on every payment, each doing as
// much as one statement can, because every round trip is time the practice's rows are held.

// refundedOfInvoice sums an invoice's refunds; its arguments: practice id, invoice id, twice.
const refundedOfInvoice = `(SELECT COUNT(*) FROM refunds WHERE practice_id = ? AND invoice_id = ? AND amount_minor IS NULL) AS whole,
	(SELECT COALESCE(SUM(amount_minor), 0) FROM refunds WHERE practice_id = ? AND invoice_id = ?) AS minor`

func (t *tx) InsertPayment(p *referral.Payment) (bool, referral.Refunded, error) {
	var row refundedRow
	inserted, err := t.returning([]any{&row.Whole, &row.Minor}, `INSERT INTO payments (id, practice_id, invoice_id, payment_id, amount_minor, currency, paid_at,
			outcome, referral_id, conversion_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING `+refundedOfInvoice,
		p.ID, p.PracticeID, p.InvoiceID, p.PaymentID, p.Amount.Minor, p.Amount.Currency, p.PaidAt,
		p.Outcome, orNull(p.ReferralID), orNull(p.ConversionID), p.CreatedAt,
		p.PracticeID, p.InvoiceID, p.PracticeID, p.InvoiceID)
	if err != nil {
		return false, referral.Refunded{}, fmt.Errorf("store: insert payment %s of invoice %s: %w", p.ID, p.InvoiceID, err)
	}
	return inserted, row.refunded(), nil
}

// returning runs a statement that returns at most one row (an insert's RETURNING) into dest;
// found is false when it returned none. Not gorm's Scan, which formats every statement with
// its arguments for a logger even when nothing logs.
func (t *tx) returning(dest []any, query string, args ...any) (found bool, err error) {
	err = t.g.Raw(query, args...).Row().Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// refundedRow is refundedOfInvoice's answer.
type refundedRow struct {
	Whole int64
	Minor int64
}

func (r refundedRow) refunded() referral.Refunded {
	return referral.Refunded{Whole: r.Whole > 0, Minor: r.Minor}
}

func (t *tx) InvoiceRefunds(practiceID, invoiceID string) (referral.Refunded, error) {
	var row refundedRow
	err := t.g.Raw(`SELECT `+refundedOfInvoice, practiceID, invoiceID, practiceID, invoiceID).Row().Scan(&row.Whole, &row.Minor)
	if err != nil {
		return referral.Refunded{}, fmt.Errorf("store: read refunds of invoice %s: %w", invoiceID, err)
	}
	return row.refunded(), nil
}

func (t *tx) UpdatePayment(p *referral.Payment) error {
	err := t.g.Exec(`UPDATE payments SET outcome = ?, referral_id = ?, conversion_id = ? WHERE id = ?`,
		p.Outcome, orNull(p.ReferralID), orNull(p.ConversionID), p.ID).Error
	if err != nil {
		return fmt.Errorf("store: update payment %s: %w", p.ID, err)
	}
	return nil
}

// ConvertReferral is one statement on PostgreSQL (the conversion's insert feeds the
// referral's update); SQLite, with no round trips to save, runs the two in turn.
func (t *tx) ConvertReferral(c *referral.Conversion) (bool, error) {
	row := toConversionRow(c)
	// Nothing is inserted when the referral or the invoice already has a standing conversion.
	const insert = `INSERT INTO conversions (id, practice_id, referral_id, advocate_id, invoice_id, payment_id,
		amount_minor, currency, paid_at, source, status, reversed_at, created_at, invoice_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	args := []any{row.ID, row.PracticeID, row.ReferralID, row.AdvocateID, row.InvoiceID, row.PaymentID,
		row.AmountMinor, row.Currency, row.PaidAt, row.Source, row.Status, row.ReversedAt, row.CreatedAt, row.InvoiceKey}
	if t.postgres {
		res := t.g.Exec(`WITH converted AS (`+insert+` RETURNING referral_id)
			UPDATE referrals SET status = ?, converted_at = ? WHERE id = (SELECT referral_id FROM converted)`,
			append(args, referral.Converted, c.CreatedAt)...)
		if res.Error != nil {
			return false, fmt.Errorf("store: convert referral %s: %w", c.ReferralID, res.Error)
		}
		return res.RowsAffected == 1, nil
	}
	res := t.g.Exec(insert, args...)
	if res.Error != nil {
		return false, fmt.Errorf("store: insert conversion for referral %s: %w", c.ReferralID, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	err := t.g.Exec(`UPDATE referrals SET status = ?, converted_at = ? WHERE id = ?`, referral.Converted, c.CreatedAt, c.ReferralID).Error
	if err != nil {
		return false, fmt.Errorf("store: convert referral %s: %w", c.ReferralID, err)
	}
	return true, nil
}

// IssueReward counts the advocate's rewards for the year's payments in the statement that
// inserts the new one; the caller holds the advocate's row, so no other conversion counts meanwhile.
// (SQLite parses INSERT … SELECT … ON CONFLICT only with a WHERE in the SELECT.)
func (t *tx) IssueReward(r *referral.Reward, capAt int, from, to time.Time) (bool, error) {
	var code sql.NullString
	inserted, err := t.returning([]any{&r.Status, &code}, `INSERT INTO rewards (id, practice_id, advocate_id, conversion_id, kind, code, amount_minor,
			currency, status, clawback_owed, issued_at, held_until, paid_at)
		SELECT ?, ?, ?, ?, ?, CASE WHEN year.n >= ? THEN NULL ELSE ? END, ?, ?,
			CASE WHEN year.n >= ? THEN ? ELSE ? END, ?, ?, ?, ?
		FROM (SELECT COUNT(*) AS n FROM rewards WHERE practice_id = ? AND advocate_id = ?
			AND paid_at >= ? AND paid_at < ? AND status IN (?, ?, ?)) AS year
		WHERE TRUE
		ON CONFLICT DO NOTHING RETURNING status, code`,
		r.ID, r.PracticeID, r.AdvocateID, r.ConversionID, r.Kind, capAt, orNull(r.Code), r.Amount.Minor, r.Amount.Currency,
		capAt, referral.Capped, r.Status, r.ClawbackOwed, r.IssuedAt, r.HeldUntil, r.PaidAt,
		r.PracticeID, r.AdvocateID, from, to, referral.Pending, referral.Issued, referral.Redeemed)
	if err != nil {
		return false, fmt.Errorf("store: issue reward for conversion %s: %w", r.ConversionID, err)
	}
	r.Code = code.String
	if inserted && r.Status == referral.Capped && r.HeldUntil != nil {
		// A capped reward is never issued, so it is not held either. (Not a CASE above: its
		// NULL would make PostgreSQL read the time as text.)
		r.HeldUntil = nil
		if err := t.g.Exec(`UPDATE rewards SET held_until = NULL WHERE id = ?`, r.ID).Error; err != nil {
			return false, fmt.Errorf("store: unhold capped reward %s: %w", r.ID, err)
		}
	}
	return inserted, nil
}
