package referral

import (
	"context"
	"strings"
)

// PracticeRegion is where a practice is: the currency it bills in and its time zone.
type PracticeRegion struct {
	Currency string `json:"currency"`
	TimeZone string `json:"time_zone"`
}

// errCurrencyFixed says why a practice's currency cannot change any more.
func errCurrencyFixed() error {
	return InvalidField("currency", "cannot change once a reward exists: rewards, their codes and the reports keep the currency they were earned in")
}

// UpdateRegion changes the practice's time zone, and its currency while no reward exists. A
// new currency starts the reward amount and minimum afresh in it (see DefaultRewardPolicy):
// 50.00 US dollars is not 50.00 of every currency.
func (s *Service) UpdateRegion(ctx context.Context, p *Practice, in PracticeRegion) (*Practice, error) {
	code, ok := ParseCurrency(in.Currency)
	if !ok {
		return nil, InvalidField("currency", "must be an ISO 4217 currency code such as USD")
	}
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	if !ValidTimeZone(in.TimeZone) {
		return nil, InvalidField("time_zone", "must be an IANA time zone such as America/Los_Angeles")
	}
	var updated *Practice
	err := s.inTx(ctx, func(tx Tx) error {
		cur, err := lockPractice(tx, p) // rewards are issued under a share of this lock
		if err != nil {
			return err
		}
		if code != cur.Currency {
			if fixed, err := hasRewards(tx, cur); err != nil || fixed {
				if err == nil {
					err = errCurrencyFixed()
				}
				return err
			}
			cur.Currency = code
			cur.Reward.Amount = defaultReward(code)
			cur.Reward.Minimum = Money{Minor: 1, Currency: code}
		}
		cur.TimeZone = in.TimeZone
		updated = cur
		return tx.UpdatePractice(cur)
	})
	return updated, err
}

// CurrencyFixed tells whether the practice's currency can no longer change.
func (s *Service) CurrencyFixed(ctx context.Context, p *Practice) (fixed bool, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		fixed, err = hasRewards(tx, p)
		return err
	})
	return fixed, err
}

func hasRewards(tx Tx, p *Practice) (bool, error) {
	list, err := tx.ListRewards(p.ID, RewardFilter{}, Page{Limit: 1})
	return len(list) > 0, err
}
