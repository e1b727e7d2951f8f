package referral

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Reward kinds: service credit, never cash.
const (
	DiscountCode = "discount_code" // a single-use code for the advocate's next visit
	WalletCredit = "wallet_credit" // a task for the front desk: add credit to the patient's wallet
)

// RewardKind is DiscountCode or WalletCredit.
type RewardKind = string

// Reward statuses. A reward held through the practice's refund window is Pending (shared with
// referrals), with no code until its HeldUntil.
const (
	Issued   = "issued"
	Redeemed = "redeemed"
	Voided   = "voided"
	Capped   = "capped" // past the advocate's yearly cap: recorded, with no code
)

// Reward is what an advocate earns for a conversion.
type Reward struct {
	ID           string `json:"id"`
	PracticeID   string `json:"-"`
	AdvocateID   string `json:"advocate_id"`
	AdvocateName string `json:"-"` // filled when read, for the front desk
	// The advocate's email and code, so a Zap can thank them with the practice's own tools.
	AdvocateEmail string `json:"advocate_email"`
	AdvocateCode  string `json:"advocate_referral_code"`
	ConversionID  string `json:"conversion_id"`
	Kind          string `json:"kind"`
	Code          string `json:"-"`
	Amount        Money  `json:"-"`
	Status        string `json:"status"`
	ClawbackOwed  bool   `json:"clawback_owed"`
	// ClawbackSettledAt is when the front desk settled a clawback in credit; ClawbackOwed is
	// false from then on.
	ClawbackSettledAt *time.Time `json:"-"`
	IssuedAt          time.Time  `json:"issued_at"`
	RedeemedAt        *time.Time `json:"redeemed_at"`
	VoidedAt          *time.Time `json:"voided_at"`
	// HeldUntil is when a pending reward is issued; nil in every other status.
	HeldUntil *time.Time `json:"held_until"`
	// PaidAt is when the payment it rewards was made: the yearly cap counts by its year.
	PaidAt time.Time `json:"-"`
}

// MarshalJSON gives the amount as a decimal string beside its currency, and a null code when
// the reward is capped or pending.
func (r Reward) MarshalJSON() ([]byte, error) {
	type plain Reward
	return json.Marshal(struct {
		plain
		Code              *string `json:"code"`
		Amount            string  `json:"amount"`
		Currency          string  `json:"currency"`
		AdvocateFirstName string  `json:"advocate_first_name"`
	}{plain(r), nullable(r.Code), r.Amount.String(), r.Amount.Currency, firstName(r.AdvocateName)})
}

// RewardFilter narrows a list of rewards.
type RewardFilter struct {
	AdvocateID string `json:"advocate_id" validate:"max=40"`
	Status     string `json:"status" validate:"omitempty,oneof=pending issued redeemed voided capped"`
	Code       string `json:"code" validate:"max=20"`
	// Search finds rewards by their code, or by part of their advocate's name or email: the
	// dashboard's search box, for a patient who forgot their code.
	Search string `json:"q" validate:"max=200"`
	// For the dashboard's task lists; not API filters.
	Kind         string `json:"-"`
	ClawbackOwed bool   `json:"-"`
}

// issueReward rewards the advocate of conversion c under the practice's policy, or records a
// capped reward when the advocate has had the allowance of the payment's calendar year. A
// practice that holds rewards gets a pending one, without a code, until its hold ends
// (releaseHeldReward).
func (s *Service) issueReward(tx Tx, p *Practice, c *Conversion) (*Reward, error) {
	now := s.Now()
	r := &Reward{ID: NewID("rwd", now), PracticeID: p.ID, AdvocateID: c.AdvocateID,
		AdvocateName: c.AdvocateName, AdvocateEmail: c.AdvocateEmail, AdvocateCode: c.AdvocateCode, ConversionID: c.ID, Kind: p.Reward.Kind, Amount: p.Reward.Amount, Status: Issued, IssuedAt: now, PaidAt: c.PaidAt}
	from, to := calendarYear(c.PaidAt, p.Location()) // the payment's year, not the day it arrived
	heldUntil := p.heldUntil(c.PaidAt, now)
	return r, insertWithCode(func() (bool, error) {
		r.Code, r.Status, r.HeldUntil = NewRewardCode(), Issued, nil
		if heldUntil != nil {
			r.Code, r.Status, r.HeldUntil = "", Pending, heldUntil
		}
		return tx.IssueReward(r, p.Reward.AnnualCap, from, to)
	})
}

// calendarYear is the practice's calendar year around t, as UTC bounds.
func calendarYear(t time.Time, loc *time.Location) (from, to time.Time) {
	y := t.In(loc).Year()
	return time.Date(y, 1, 1, 0, 0, 0, 0, loc).UTC(), time.Date(y+1, 1, 1, 0, 0, 0, 0, loc).UTC()
}

// lockedReward reads a reward by its code under the practice's lock, or says there is none.
func lockedReward(tx Tx, p *Practice, code string) (*Reward, error) {
	if !IsText(code) {
		return nil, Errorf(ENotFound, "No reward has this code.")
	}
	if _, err := lockPractice(tx, p); err != nil {
		return nil, err
	}
	r, err := tx.RewardByCode(p.ID, code)
	if err == nil && r == nil {
		err = Errorf(ENotFound, "No reward has the code %s.", code)
	}
	return r, err
}

// RedeemReward marks a reward used at checkout (for wallet credit: credited to the wallet).
func (s *Service) RedeemReward(ctx context.Context, p *Practice, code string) (*Reward, error) {
	code = NormalizeCode(code)
	var r *Reward
	err := s.inTx(ctx, func(tx Tx) (err error) {
		if r, err = lockedReward(tx, p, code); err != nil {
			return err
		}
		switch {
		case r.Status == Redeemed:
			return Errorf(EAlreadyRedeemed, "Reward %s was already redeemed on %s.", code, r.RedeemedAt.In(p.Location()).Format("Jan 2, 2006"))
		case r.Status == Voided:
			return Errorf(ERewardVoided, "Reward %s was voided because the friend's payment was refunded.", code)
		}
		now := s.Now()
		r.Status, r.RedeemedAt = Redeemed, &now
		if err := tx.UpdateReward(r); err != nil {
			return err
		}
		return tx.InsertEvent(s.newEvent(p, RewardRedeemed, r))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Rewards lists the practice's rewards, newest first.
func (s *Service) Rewards(ctx context.Context, p *Practice, f RewardFilter, pg Page) ([]Reward, string, error) {
	f.Code, f.Search = NormalizeCode(f.Code), strings.TrimSpace(f.Search)
	if err := check(f); err != nil {
		return nil, "", err
	}
	return list(s, ctx, pg, "rwd", func(tx Tx, pg Page) ([]Reward, error) {
		return tx.ListRewards(p.ID, f, pg)
	}, func(r Reward) string { return r.ID })
}
