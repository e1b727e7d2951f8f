package referral

import (
	"context"
	"encoding/json"
	"time"
)

// Conversion statuses and sources.
const (
	Rewarded = "rewarded"
	Reversed = "reversed" // refunded; its referral is pending again

	SourcePayment = "payment"
)

// Outcomes of Record Conversion. Only OutcomeConverted creates anything; every outcome is a
// success for the caller, because a Zap that runs on every payment must not be switched off
// for "errors" that are ordinary days at a med spa.
const (
	OutcomeConverted       = "converted"
	OutcomeAlreadyRewarded = "already_rewarded"
	OutcomeBelowMinimum    = "below_minimum"
	OutcomeRefunded        = "refunded"
	OutcomeNearMiss        = "near_miss"
	OutcomeNoMatch         = "no_match"
	OutcomeNotPaid         = "not_paid"
	// The payment is in another currency than the practice's: it cannot be weighed against
	// the minimum, and a person should look.
	OutcomeCurrencyMismatch = "currency_mismatch"
	// The invoice already converted another friend's referral: it converts one at most.
	OutcomeInvoiceConverted = "invoice_already_converted"
)

// Conversion is a referred friend's qualifying payment, with the reward it issued.
type Conversion struct {
	ID           string `json:"id"`
	PracticeID   string `json:"-"`
	ReferralID   string `json:"referral_id"`
	AdvocateID   string `json:"advocate_id"`
	AdvocateName string `json:"advocate_name"`
	// The advocate's email and code, so a Zap can thank them with the practice's own tools.
	AdvocateEmail string     `json:"advocate_email"`
	AdvocateCode  string     `json:"advocate_referral_code"`
	FriendName    string     `json:"friend_name"`
	FriendEmail   string     `json:"friend_email"`
	InvoiceID     string     `json:"invoice_id"`
	PaymentID     string     `json:"-"`
	Amount        Money      `json:"-"`
	PaidAt        time.Time  `json:"paid_at"`
	Source        string     `json:"source"`
	Status        string     `json:"status"`
	ReversedAt    *time.Time `json:"reversed_at"`
	CreatedAt     time.Time  `json:"created_at"`
	Reward        *Reward    `json:"reward"`
}

// MarshalJSON gives the amount as a decimal string beside its currency.
func (c Conversion) MarshalJSON() ([]byte, error) {
	type plain Conversion
	return json.Marshal(struct {
		plain
		PaymentID         *string `json:"payment_id"`
		Amount            string  `json:"amount"`
		Currency          string  `json:"currency"`
		AdvocateFirstName string  `json:"advocate_first_name"`
	}{plain(c), nullable(c.PaymentID), c.Amount.String(), c.Amount.Currency, firstName(c.AdvocateName)})
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ConversionResult is Record Conversion's answer.
type ConversionResult struct {
	Outcome    string      `json:"outcome"`
	Matched    bool        `json:"matched"`
	Replayed   bool        `json:"replayed"`
	InvoiceID  string      `json:"invoice_id"`
	PaymentID  *string     `json:"payment_id"`
	Conversion *Conversion `json:"conversion"`
	// Reason says in a sentence why nothing converted; nil when something did.
	Reason *string `json:"reason"`
}

// Created reports whether this answer recorded a new conversion (HTTP 201).
func (r *ConversionResult) Created() bool { return r.Outcome == OutcomeConverted && !r.Replayed }

// ConversionFilter narrows a list of conversions.
type ConversionFilter struct {
	Status     string `json:"status" validate:"omitempty,oneof=rewarded reversed"`
	AdvocateID string `json:"advocate_id" validate:"max=40"`
	// The invoice a Zap's Find Conversion looks up, matched exactly as Record Conversion stored it.
	InvoiceID string `json:"invoice_id" validate:"max=100"`
	// Paid in [From, To) when set; the dashboard's date filter, not an API filter.
	From, To time.Time `json:"-"`
}

// RecordConversion matches a payment to the friend who made it and, the first time that
// friend pays enough, converts their referral and rewards the advocate. A replay of the same
// payment answers the first outcome again, for ever.
func (s *Service) RecordConversion(ctx context.Context, p *Practice, ev PaymentEvent) (*ConversionResult, error) {
	now := s.Now()
	pay, err := ev.normalize(p, now)
	if err != nil {
		return nil, err
	}
	res := &ConversionResult{InvoiceID: pay.InvoiceID, PaymentID: nullable(pay.PaymentID)}
	if !ev.isPaid() {
		res.Outcome = OutcomeNotPaid
		res.explain(p, pay)
		return res, nil
	}
	err = s.inTx(ctx, func(tx Tx) error {
		res.Outcome, res.Matched, res.Replayed, res.Conversion = "", false, false, nil
		pay.Outcome, pay.ReferralID, pay.ConversionID = "", "", ""
		// The practice as it is now, held against a refund of the same invoice recorded at the
		// same moment (and checked against a revoked key).
		cur, err := tx.SharePractice(p.ID, p.KeyHash)
		if err != nil {
			return err
		}
		if cur == nil {
			return errUnknownKey()
		}
		// The payment row claims the natural key before anything else happens: a concurrent
		// copy of this payment waits on it and then finds it, and answers as a replay.
		pay.ID = NewID("pay", now)
		inserted, refunds, err := tx.InsertPayment(pay)
		if err != nil {
			return err
		}
		if !inserted {
			return s.replay(tx, cur, pay, res)
		}
		ref, err := s.matchPayer(tx, cur, &ev, pay)
		if err != nil {
			return err
		}
		if ref == nil {
			res.Outcome, err = s.noMatch(tx, cur, &ev, pay)
		} else {
			res.Matched = true
			res.Outcome, res.Conversion, err = s.convert(tx, cur, ref, &ev, pay, refunds)
		}
		if err != nil {
			return err
		}
		pay.Outcome = res.Outcome
		if res.Conversion != nil {
			pay.ConversionID = res.Conversion.ID
		}
		return tx.UpdatePayment(pay)
	})
	if err != nil {
		return nil, err
	}
	res.explain(p, pay)
	return res, nil
}

// replay answers a payment seen before with the outcome it had then.
func (s *Service) replay(tx Tx, p *Practice, pay *Payment, res *ConversionResult) error {
	seen, err := tx.PaymentByKey(p.ID, pay.InvoiceID, pay.PaymentID)
	if err != nil {
		return err
	}
	res.Outcome, res.Matched, res.Replayed = seen.Outcome, seen.ReferralID != "", true
	if seen.ConversionID != "" {
		res.Conversion, err = tx.ConversionByID(p.ID, seen.ConversionID)
	}
	return err
}

// matchPayer finds the payer's referral: by email first, then by a referral code on the
// payment, which claims a referral for a payer who has none (unless it is their own code).
func (s *Service) matchPayer(tx Tx, p *Practice, ev *PaymentEvent, pay *Payment) (*Referral, error) {
	if ev.Email == "" {
		return nil, nil
	}
	ref, err := tx.ReferralForPayment(p.ID, ev.Email)
	if err != nil || ref != nil || ev.ReferralCode == "" {
		return ref, err
	}
	a, err := tx.AdvocateByCode(p.ID, ev.ReferralCode)
	if err != nil || a == nil || a.Status != Active {
		return nil, err
	}
	name := ev.payerName()
	if name == "" {
		name = ev.Email
	}
	claimedAt := pay.PaidAt // the code was given at the payment, not after it
	if claimedAt.After(pay.CreatedAt) {
		claimedAt = pay.CreatedAt
	}
	ref, _, err = s.claim(tx, p, a, name, ev.Email, SourceCode, claimedAt)
	if ErrorCode(err) != "" {
		return nil, nil // a self-referral or an existing patient is simply not a match
	}
	return ref, err
}

// convert decides what a matched payment earns.
func (s *Service) convert(tx Tx, p *Practice, ref *Referral, ev *PaymentEvent, pay *Payment, refunds Refunded) (string, *Conversion, error) {
	pay.ReferralID = ref.ID
	if ref.ClaimedAt.After(pay.PaidAt) {
		// Claimed after paying: maybe a friend who claimed at checkout, maybe a patient
		// gaming the program. A person decides.
		return OutcomeNearMiss, nil, s.keepNearMiss(tx, p, ref, ev, pay, ClaimedAfterPayment)
	}
	if ref.Status != Pending {
		existing, err := tx.StandingConversion(p.ID, ref.ID)
		return OutcomeAlreadyRewarded, existing, err
	}
	if refunds.leaves(pay.Amount, p.Reward.Minimum) {
		return OutcomeRefunded, nil, nil
	}
	if pay.Amount.Currency != p.Currency {
		return OutcomeCurrencyMismatch, nil, nil
	}
	if pay.Amount.Minor < p.Reward.Minimum.Minor {
		return OutcomeBelowMinimum, nil, nil
	}
	c, err := s.recordConversion(tx, p, ref, pay, SourcePayment)
	if ErrorCode(err) == EInvoiceConverted {
		return OutcomeInvoiceConverted, nil, nil // another payer's payment of the invoice converted
	}
	return OutcomeConverted, c, err
}

// recordConversion converts a referral and issues its reward, with its outbox event.
func (s *Service) recordConversion(tx Tx, p *Practice, ref *Referral, pay *Payment, source string) (*Conversion, error) {
	now := s.Now()
	c := &Conversion{ID: NewID("cnv", now), PracticeID: p.ID, ReferralID: ref.ID,
		AdvocateID: ref.AdvocateID, AdvocateName: ref.AdvocateName, AdvocateEmail: ref.AdvocateEmail,
		AdvocateCode: ref.Code, FriendName: ref.FriendName,
		FriendEmail: ref.FriendEmail, InvoiceID: pay.InvoiceID, PaymentID: pay.PaymentID,
		Amount: pay.Amount, PaidAt: pay.PaidAt, Source: source, Status: Rewarded, CreatedAt: now}
	ok, err := tx.ConvertReferral(c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, s.whyNotConverted(tx, p, ref, pay)
	}
	ref.Status, ref.ConvertedAt = Converted, &now
	if c.Reward, err = s.issueReward(tx, p, c); err != nil {
		return nil, err
	}
	if err := tx.InsertEvent(s.newEvent(p, ConversionRecorded, c)); err != nil {
		return nil, err
	}
	return c, s.tellRewardEarned(tx, p, c.advocate(s), c.Reward)
}

// whyNotConverted says which standing conversion kept a referral from converting: its own, or
// its invoice's of another referral.
func (s *Service) whyNotConverted(tx Tx, p *Practice, ref *Referral, pay *Payment) error {
	standing, err := tx.StandingConversion(p.ID, ref.ID)
	if err != nil {
		return err
	}
	if standing != nil {
		return Errorf(EAlreadyConverted, "%s's referral already converted (invoice %s).", ref.FriendName, standing.InvoiceID)
	}
	return Errorf(EInvoiceConverted, "Invoice %s already converted another referral; an invoice converts one referral at most.", pay.InvoiceID)
}

// advocate is what a conversion knows of its advocate, enough to write to them.
func (c *Conversion) advocate(s *Service) *Advocate {
	a := &Advocate{ID: c.AdvocateID, PracticeID: c.PracticeID, Name: c.AdvocateName, Email: c.AdvocateEmail, Code: c.AdvocateCode}
	s.present(a)
	return a
}

// Conversions lists the practice's conversions, newest first.
func (s *Service) Conversions(ctx context.Context, p *Practice, f ConversionFilter, pg Page) ([]Conversion, string, error) {
	if err := check(f); err != nil {
		return nil, "", err
	}
	return list(s, ctx, pg, "cnv", func(tx Tx, pg Page) ([]Conversion, error) {
		return tx.ListConversions(p.ID, f, pg)
	}, func(c Conversion) string { return c.ID })
}
