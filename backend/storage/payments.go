package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Payments, by their natural key. InsertPayment claims it and reads its invoice's refunds in
// one statement: every round trip is time the practice's rows are held.

type paymentRow struct {
	ID           string
	PracticeID   string
	InvoiceID    string
	PaymentID    string
	AmountMinor  int64
	Currency     string
	PaidAt       time.Time
	Outcome      string
	ReferralID   *string
	ConversionID *string
	CreatedAt    time.Time
}

func (paymentRow) TableName() string { return "payments" }

func (r *paymentRow) payment() *referral.Payment {
	return &referral.Payment{ID: r.ID, PracticeID: r.PracticeID, InvoiceID: r.InvoiceID,
		PaymentID: r.PaymentID, Amount: referral.Money{Minor: r.AmountMinor, Currency: r.Currency},
		PaidAt: r.PaidAt.UTC(), Outcome: r.Outcome, ReferralID: deref(r.ReferralID),
		ConversionID: deref(r.ConversionID), CreatedAt: r.CreatedAt.UTC()}
}

func (t *tx) PaymentByKey(practiceID, invoiceID, paymentID string) (*referral.Payment, error) {
	var row paymentRow
	found, err := first(t.g.Where("practice_id = ? AND invoice_id = ? AND payment_id = ?", practiceID, invoiceID, paymentID), &row,
		"payment "+paymentID+" of invoice "+invoiceID+" in practice "+practiceID)
	if err != nil || !found {
		return nil, err
	}
	return row.payment(), nil
}

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

func (t *tx) UpdatePayment(p *referral.Payment) error {
	err := t.g.Exec(`UPDATE payments SET outcome = ?, referral_id = ?, conversion_id = ? WHERE id = ?`,
		p.Outcome, orNull(p.ReferralID), orNull(p.ConversionID), p.ID).Error
	if err != nil {
		return fmt.Errorf("store: update payment %s: %w", p.ID, err)
	}
	return nil
}
