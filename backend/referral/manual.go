package referral

import (
	"context"
	"fmt"
	"strings"
)

// ManualConversion is the front desk marking a referral converted by hand, for a practice
// without Zapier. Invoice and amount are optional: one tap is enough.
type ManualConversion struct {
	ReferralID string `json:"referral_id" validate:"required,max=40"`
	InvoiceID  string `json:"invoice_id" validate:"max=100"`
	Amount     Amount `json:"amount"`
	Currency   string `json:"currency"`
}

// ConvertManually converts a referral by hand and rewards its advocate.
func (s *Service) ConvertManually(ctx context.Context, p *Practice, in ManualConversion) (*ConversionResult, error) {
	in.ReferralID, in.InvoiceID = strings.TrimSpace(in.ReferralID), strings.TrimSpace(in.InvoiceID)
	if err := check(in); err != nil {
		return nil, err
	}
	now := s.Now()
	pay := &Payment{PracticeID: p.ID, InvoiceID: in.InvoiceID, PaidAt: now, CreatedAt: now,
		Amount: Money{Currency: p.Currency}}
	if in.Currency != "" {
		code, ok := ParseCurrency(in.Currency)
		if !ok {
			return nil, InvalidField("currency", "must be an ISO 4217 currency code such as USD")
		}
		pay.Amount.Currency = code
	}
	if in.Amount != "" {
		m, err := in.Amount.Parse(pay.Amount.Currency)
		if err != nil {
			return nil, InvalidField("amount", err.Error())
		}
		pay.Amount = m
	}
	res := &ConversionResult{Outcome: OutcomeConverted, Matched: true}
	err := s.inTx(ctx, func(tx Tx) error {
		if _, err := lockPractice(tx, p); err != nil {
			return err
		}
		ref, err := tx.ReferralByID(p.ID, in.ReferralID)
		if err != nil {
			return err
		}
		if ref == nil {
			return InvalidField("referral_id", "matches no referral of this practice")
		}
		pay.ID = NewID("pay", now)
		if pay.InvoiceID == "" {
			pay.InvoiceID = "manual-" + strings.TrimPrefix(pay.ID, "pay_")
		}
		res.InvoiceID = pay.InvoiceID
		res.Conversion, err = s.convertByHand(tx, p, ref, pay)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ConfirmNearMiss converts the referral a near-miss points at, with the near-miss's payment.
func (s *Service) ConfirmNearMiss(ctx context.Context, p *Practice, id string) (*ConversionResult, error) {
	if !IsText(id) {
		return nil, NotFound("near-miss")
	}
	var res *ConversionResult
	err := s.inTx(ctx, func(tx Tx) error {
		if _, err := lockPractice(tx, p); err != nil {
			return err
		}
		n, err := tx.NearMissByID(p.ID, id)
		if err != nil {
			return err
		}
		if n == nil {
			return NotFound("near-miss")
		}
		ref, err := tx.ReferralByID(p.ID, n.ReferralID)
		if err != nil {
			return err
		}
		if ref == nil {
			return NotFound("referral")
		}
		pay, err := tx.PaymentByKey(p.ID, n.InvoiceID, n.PaymentID)
		if err != nil {
			return err
		}
		if pay == nil { // kept near-misses always have their payment; be safe all the same
			pay = &Payment{ID: NewID("pay", s.Now()), PracticeID: p.ID, InvoiceID: n.InvoiceID,
				PaymentID: n.PaymentID, Amount: n.Amount, PaidAt: n.PaidAt, CreatedAt: s.Now()}
		}
		c, err := s.convertByHand(tx, p, ref, pay)
		if err != nil {
			return err
		}
		res = &ConversionResult{Outcome: OutcomeConverted, Matched: true, InvoiceID: n.InvoiceID,
			PaymentID: nullable(n.PaymentID), Conversion: c}
		return tx.DeleteNearMiss(p.ID, id)
	})
	return res, err
}

// convertByHand records a conversion a person decided on and remembers it under the payment's
// key, so the same invoice arriving later through Zapier replays it instead of rewarding again.
func (s *Service) convertByHand(tx Tx, p *Practice, ref *Referral, pay *Payment) (*Conversion, error) {
	if ref.Status != Pending {
		return nil, s.whyNotConverted(tx, p, ref, pay)
	}
	refunds, err := tx.InvoiceRefunds(p.ID, pay.InvoiceID)
	if err != nil {
		return nil, err
	}
	if refunds.leaves(pay.Amount, p.Reward.Minimum) {
		return nil, Errorf(EPaymentRefunded, "Invoice %s was refunded, so it cannot convert %s's referral.", pay.InvoiceID, ref.FriendName)
	}
	c, err := s.recordConversion(tx, p, ref, pay, SourceManual)
	if err != nil {
		return nil, err
	}
	pay.ReferralID, pay.ConversionID, pay.Outcome = ref.ID, c.ID, OutcomeConverted
	seen, err := tx.PaymentByKey(p.ID, pay.InvoiceID, pay.PaymentID)
	if err != nil {
		return nil, err
	}
	if seen == nil {
		inserted, _, err := tx.InsertPayment(pay)
		if err != nil {
			return nil, err
		}
		if inserted {
			return c, nil
		}
		// The same invoice's payment arrived meanwhile: remember the conversion on its key.
		if seen, err = tx.PaymentByKey(p.ID, pay.InvoiceID, pay.PaymentID); err != nil {
			return nil, err
		}
		if seen == nil {
			return nil, fmt.Errorf("referral: payment %s not inserted, and none has its key", pay.ID)
		}
	}
	pay.ID = seen.ID
	return c, tx.UpdatePayment(pay)
}
