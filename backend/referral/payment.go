package referral

import (
	"errors"
	"strings"
	"time"
)

// PaymentEvent is what Record Conversion receives: an invoice paid in the practice's point of
// sale. Only these fields are read; anything else that arrives is never looked at or kept.
type PaymentEvent struct {
	InvoiceID    string `json:"invoice_id" validate:"required,max=100"`
	PaymentID    string `json:"payment_id" validate:"max=100"`
	Email        string `json:"email" validate:"omitempty,max=254,email"`
	Name         string `json:"name" validate:"max=200"`
	FirstName    string `json:"first_name" validate:"max=100"`
	LastName     string `json:"last_name" validate:"max=100"`
	Amount       Amount `json:"amount"`
	Currency     string `json:"currency"`
	PaidAt       string `json:"paid_at"`
	ReferralCode string `json:"referral_code" validate:"max=20"`
	Status       string `json:"status" validate:"max=50"`
}

// Payment is what is kept of a payment event: its key, amount and outcome, never the payer.
// It makes Record Conversion idempotent for ever by (practice, invoice_id, payment_id).
type Payment struct {
	ID           string
	PracticeID   string
	InvoiceID    string
	PaymentID    string
	Amount       Money
	PaidAt       time.Time
	Outcome      string
	ReferralID   string
	ConversionID string
	CreatedAt    time.Time
}

// paidStatuses are the words points of sale use for a settled invoice. Any other status means
// the invoice is not paid yet (open, draft, pending, void, partially paid…).
var paidStatuses = map[string]bool{
	"paid": true, "complete": true, "completed": true, "succeeded": true, "success": true,
	"settled": true, "captured": true, "closed": true, "fully paid": true, "fully_paid": true,
}

// isPaid reports whether a payment event's status (if any) says the invoice is paid.
func (ev *PaymentEvent) isPaid() bool {
	s := strings.ToLower(strings.TrimSpace(ev.Status))
	return s == "" || paidStatuses[s]
}

// payerName joins name parts the way a point of sale splits them.
func (ev *PaymentEvent) payerName() string {
	if n := strings.TrimSpace(ev.Name); n != "" {
		return n
	}
	return strings.TrimSpace(strings.TrimSpace(ev.FirstName) + " " + strings.TrimSpace(ev.LastName))
}

// normalize cleans and validates the event, reporting every bad field at once, and returns
// the payment it describes.
func (ev *PaymentEvent) normalize(p *Practice, now time.Time) (*Payment, error) {
	ev.InvoiceID = strings.TrimSpace(ev.InvoiceID)
	ev.PaymentID = strings.TrimSpace(ev.PaymentID)
	ev.Email = NormalizeEmail(ev.Email)
	ev.ReferralCode = NormalizeCode(ev.ReferralCode)
	var fields []FieldError
	if err := check(*ev); err != nil {
		var invalid *Error
		if !errors.As(err, &invalid) {
			return nil, err
		}
		fields = append(fields, invalid.Fields...)
	}
	pay := &Payment{PracticeID: p.ID, InvoiceID: ev.InvoiceID, PaymentID: ev.PaymentID, CreatedAt: now}
	code := p.Currency
	if ev.Currency != "" {
		if c, ok := ParseCurrency(ev.Currency); ok {
			code = c
		} else {
			fields = append(fields, FieldError{"currency", "must be an ISO 4217 currency code such as USD"})
		}
	}
	amount, err := ev.Amount.Parse(code)
	if ev.Amount == "" {
		fields = append(fields, FieldError{"amount", "is required"})
	} else if err != nil {
		fields = append(fields, FieldError{"amount", err.Error()})
	}
	pay.Amount = amount
	pay.PaidAt = now
	if ev.PaidAt != "" {
		t, err := ParsePaidAt(ev.PaidAt, p.Location(), now)
		if err != nil {
			fields = append(fields, FieldError{"paid_at", "must be a date-time such as 2026-11-23T14:05:00Z, or a date such as 2026-11-23"})
		}
		pay.PaidAt = t
	}
	if len(fields) > 0 {
		return nil, Invalid(fields...)
	}
	return pay, nil
}

// ParsePaidAt reads RFC 3339 as a UTC time. A bare date is that whole day in loc, so it is
// taken as the day's last moment, or now if the day is not over: a friend who claims the offer
// and pays on the same day converts, whatever the hour a point of sale leaves out.
func ParsePaidAt(s string, loc *time.Location, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		var day time.Time
		if day, err = time.ParseInLocation(time.DateOnly, s, loc); err != nil {
			return time.Time{}, err
		}
		t = day.AddDate(0, 0, 1).Add(-time.Microsecond)
		if t.After(now) {
			t = now
		}
	}
	return t.UTC().Truncate(time.Microsecond), nil
}
