package referral

import "time"

// Payments keeps every payment reported, by its natural key, and what came of it.
type Payments interface {
	PaymentByKey(practiceID, invoiceID, paymentID string) (*Payment, error)
	// InsertPayment claims the payment's natural key (false: a payment with it exists) and
	// reads, in the same statement, what was refunded of its invoice before it.
	InsertPayment(p *Payment) (bool, Refunded, error)
	// UpdatePayment records what came of the payment: its outcome, referral and conversion.
	UpdatePayment(p *Payment) error
}

// Conversions keeps the referrals that turned into paying friends.
type Conversions interface {
	ConversionByID(practiceID, id string) (*Conversion, error)
	// StandingConversion is the referral's conversion that was not reversed, if any.
	StandingConversion(practiceID, referralID string) (*Conversion, error)
	// ConversionByInvoice is the invoice's standing conversion, or else its latest reversed one.
	ConversionByInvoice(practiceID, invoiceID string) (*Conversion, error)
	// ConvertReferral inserts c and marks its referral converted at c.CreatedAt; false when
	// the referral or the invoice has a standing conversion already.
	ConvertReferral(c *Conversion) (bool, error)
	UpdateConversion(c *Conversion) error
	ListConversions(practiceID string, f ConversionFilter, p Page) ([]Conversion, error)
	// Leaderboard counts rewarded conversions per advocate since a time, most first.
	Leaderboard(practiceID string, since time.Time, limit int) ([]AdvocateCount, error)
}

// Refunds keeps the refunds reported against invoices, so a replay finds the first.
type Refunds interface {
	// RefundByKey finds the refund r replays: the same refund_id, or with none, the same amount.
	RefundByKey(r *Refund) (*Refund, error)
	InvoiceRefunds(practiceID, invoiceID string) (Refunded, error)
	InsertRefund(r *Refund) (bool, error)
	UpdateRefund(r *Refund) error
}
