package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Refunds, and what was refunded of an invoice.

type refundRow struct {
	ID           string
	PracticeID   string
	InvoiceID    string
	RefundID     string
	AmountMinor  *int64
	Currency     *string
	Outcome      string
	ConversionID *string
	CreatedAt    time.Time
}

func (refundRow) TableName() string { return "refunds" }

func toRefundRow(r *referral.Refund) *refundRow {
	row := &refundRow{ID: r.ID, PracticeID: r.PracticeID, InvoiceID: r.InvoiceID,
		RefundID: r.RefundID, Outcome: r.Outcome, ConversionID: orNull(r.ConversionID),
		CreatedAt: r.CreatedAt}
	if r.Amount != nil {
		row.AmountMinor, row.Currency = &r.Amount.Minor, &r.Amount.Currency
	}
	return row
}

func (r *refundRow) refund() referral.Refund {
	out := referral.Refund{ID: r.ID, PracticeID: r.PracticeID, InvoiceID: r.InvoiceID,
		RefundID: r.RefundID, Outcome: r.Outcome, ConversionID: deref(r.ConversionID),
		CreatedAt: r.CreatedAt.UTC()}
	if r.AmountMinor != nil {
		out.Amount = &referral.Money{Minor: *r.AmountMinor, Currency: deref(r.Currency)}
	}
	return out
}

// refundedOfInvoice sums an invoice's refunds; its arguments: practice id, invoice id, twice.
const refundedOfInvoice = `(SELECT COUNT(*) FROM refunds WHERE practice_id = ? AND invoice_id = ? AND amount_minor IS NULL) AS whole,
	(SELECT COALESCE(SUM(amount_minor), 0) FROM refunds WHERE practice_id = ? AND invoice_id = ?) AS minor`

// refundedRow is refundedOfInvoice's answer.
type refundedRow struct {
	Whole int64
	Minor int64
}

func (r refundedRow) refunded() referral.Refunded {
	return referral.Refunded{Whole: r.Whole > 0, Minor: r.Minor}
}

func (t *tx) RefundByKey(r *referral.Refund) (*referral.Refund, error) {
	var row refundRow
	q := t.g.Where("practice_id = ? AND invoice_id = ? AND refund_id = ?", r.PracticeID, r.InvoiceID, r.RefundID)
	if r.RefundID == "" { // the key of refunds_key (migration 11)
		amount := int64(-1)
		if r.Amount != nil {
			amount = r.Amount.Minor
		}
		q = q.Where("COALESCE(amount_minor, -1) = ?", amount)
	}
	found, err := first(q, &row, "refund "+r.RefundID+" of invoice "+r.InvoiceID+" in practice "+r.PracticeID)
	if err != nil || !found {
		return nil, err
	}
	seen := row.refund()
	return &seen, nil
}

func (t *tx) InvoiceRefunds(practiceID, invoiceID string) (referral.Refunded, error) {
	var row refundedRow
	err := t.g.Raw(`SELECT `+refundedOfInvoice, practiceID, invoiceID, practiceID, invoiceID).Row().Scan(&row.Whole, &row.Minor)
	if err != nil {
		return referral.Refunded{}, fmt.Errorf("store: read refunds of invoice %s: %w", invoiceID, err)
	}
	return row.refunded(), nil
}

func (t *tx) InsertRefund(r *referral.Refund) (bool, error) {
	return t.insert(toRefundRow(r), "refund "+r.ID+" of invoice "+r.InvoiceID)
}

func (t *tx) UpdateRefund(r *referral.Refund) error {
	return t.save(toRefundRow(r), "refund "+r.ID)
}
