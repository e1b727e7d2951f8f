package referral

import (
	"context"
	"strings"
	"time"
)

// Outcomes of Reverse Conversion.
const (
	OutcomeReversed        = "reversed"
	OutcomePartialRefund   = "partial_refund"
	OutcomeAlreadyReversed = "already_reversed"
	OutcomeNoConversion    = "no_conversion"
)

// RefundEvent is what Reverse Conversion receives. No amount (nil) means a full refund; an
// amount sent blank is a mistake, never a full refund.
type RefundEvent struct {
	InvoiceID      string  `json:"invoice_id" validate:"required,max=100"`
	RefundID       string  `json:"refund_id" validate:"max=100"`
	AmountRefunded *Amount `json:"amount_refunded"`
}

// Refund is what is kept of a refund: the invoice, never the patient. A refund for an invoice
// with no conversion yet is kept too, so the payment arriving later does not reward.
type Refund struct {
	ID           string
	PracticeID   string
	InvoiceID    string
	RefundID     string
	Amount       *Money // nil: the whole invoice
	Outcome      string
	ConversionID string
	CreatedAt    time.Time
}

// ReversalResult is Reverse Conversion's answer.
type ReversalResult struct {
	Outcome    string      `json:"outcome"`
	Replayed   bool        `json:"replayed"`
	InvoiceID  string      `json:"invoice_id"`
	RefundID   *string     `json:"refund_id"`
	Conversion *Conversion `json:"conversion"`
	// Reason says in a sentence why nothing was reversed; nil when something was.
	Reason *string `json:"reason"`
}

// ReverseConversion records a refund. A full refund, or one that leaves less than the minimum
// paid, reverses the invoice's conversion, voids its reward and puts its referral back to
// pending; a reward already redeemed stays redeemed and is flagged as a clawback owed, for the
// front desk to settle in credit. The same refund again (the same refund_id, or with none, the
// same amount) answers its first outcome.
func (s *Service) ReverseConversion(ctx context.Context, p *Practice, ev RefundEvent) (*ReversalResult, error) {
	ev.InvoiceID, ev.RefundID = strings.TrimSpace(ev.InvoiceID), strings.TrimSpace(ev.RefundID)
	if err := check(ev); err != nil {
		return nil, err
	}
	now := s.Now()
	refund := &Refund{PracticeID: p.ID, InvoiceID: ev.InvoiceID, RefundID: ev.RefundID, CreatedAt: now}
	if ev.AmountRefunded != nil {
		// A refund is in the invoice's currency, which is the practice's.
		m, err := ev.AmountRefunded.Parse(p.Currency)
		if err != nil {
			return nil, InvalidField("amount_refunded", err.Error())
		}
		refund.Amount = &m
	}
	res := &ReversalResult{InvoiceID: ev.InvoiceID, RefundID: nullable(ev.RefundID)}
	err := s.inTx(ctx, func(tx Tx) error {
		res.Outcome, res.Replayed, res.Conversion = "", false, nil
		refund.ID = NewID("rfd", now)
		inserted, err := tx.InsertRefund(refund)
		if err != nil {
			return err
		}
		if !inserted {
			seen, err := tx.RefundByKey(refund)
			if err != nil {
				return err
			}
			res.Outcome, res.Replayed = seen.Outcome, true
			if seen.ConversionID != "" {
				res.Conversion, err = tx.ConversionByID(p.ID, seen.ConversionID)
			}
			return err
		}
		if _, err := lockPractice(tx, p); err != nil {
			return err
		}
		c, err := tx.ConversionByInvoice(p.ID, refund.InvoiceID)
		if err != nil {
			return err
		}
		res.Outcome, err = s.reverse(tx, p, c, refund)
		if err != nil {
			return err
		}
		res.Conversion = c
		if c != nil {
			refund.ConversionID = c.ID
		}
		refund.Outcome = res.Outcome
		return tx.UpdateRefund(refund)
	})
	if err != nil {
		return nil, err
	}
	res.explain()
	return res, nil
}

func (s *Service) reverse(tx Tx, p *Practice, c *Conversion, refund *Refund) (string, error) {
	switch {
	case c == nil:
		return OutcomeNoConversion, nil
	case c.Status == Reversed:
		return OutcomeAlreadyReversed, nil
	}
	refunds, err := tx.InvoiceRefunds(p.ID, c.InvoiceID)
	if err != nil {
		return "", err
	}
	if !refunds.leaves(c.Amount, p.Reward.Minimum) {
		return OutcomePartialRefund, nil
	}
	now := s.Now()
	c.Status, c.ReversedAt = Reversed, &now
	if err := tx.UpdateConversion(c); err != nil {
		return "", err
	}
	if r := c.Reward; r != nil {
		voided := r.Status == Issued
		switch r.Status {
		case Redeemed:
			r.ClawbackOwed = true // already spent: settled in credit by the front desk, never cash
		case Issued:
			r.Status, r.VoidedAt = Voided, &now
		case Pending: // refunded inside the hold: the advocate never heard of it, and won't
			r.Status, r.VoidedAt, r.HeldUntil = Voided, &now, nil
		}
		if err := tx.UpdateReward(r); err != nil {
			return "", err
		}
		if voided {
			if err := s.tellRewardVoided(tx, p, c.advocate(s), r); err != nil {
				return "", err
			}
		}
	}
	ref, err := tx.ReferralByID(p.ID, c.ReferralID)
	if err != nil {
		return "", err
	}
	// Pending again: the friend's next qualifying payment converts the referral anew.
	ref.Status, ref.ConvertedAt = Pending, nil
	if err := tx.UpdateReferral(ref); err != nil {
		return "", err
	}
	return OutcomeReversed, tx.InsertEvent(s.newEvent(p, ConversionReversed, c))
}

// Refunded is what the refunds kept for an invoice add up to.
type Refunded struct {
	Whole bool  // one refund had no amount: the whole invoice
	Minor int64 // the amounts of the others
}

// leaves reports whether, after these refunds, less than minimum is left of paid: a refund of
// the whole invoice always does. No refund leaves everything.
func (r Refunded) leaves(paid, minimum Money) bool {
	return r.Whole || r.Minor > 0 && paid.Minor-r.Minor < minimum.Minor
}
