package referral

import (
	"context"
)

// SettleClawback records that the front desk settled a clawback owed (in service credit,
// never cash): the reward leaves the clawback list and keeps when it was settled. It is the
// practice's own bookkeeping, so it raises no event. Settling again changes nothing.
func (s *Service) SettleClawback(ctx context.Context, p *Practice, code string) (*Reward, error) {
	code = NormalizeCode(code)
	var r *Reward
	err := s.inTx(ctx, func(tx Tx) (err error) {
		if r, err = lockedReward(tx, p, code); err != nil {
			return err
		}
		if r.ClawbackSettledAt != nil {
			return nil
		}
		if !r.ClawbackOwed {
			return Errorf(EInvalid, "Reward %s has no clawback owed.", code)
		}
		now := s.Now()
		r.ClawbackOwed, r.ClawbackSettledAt = false, &now
		return tx.UpdateReward(r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ClawbackSettled tells whether a clawback was owed on the reward and has been settled.
func (r *Reward) ClawbackSettled() bool { return r.ClawbackSettledAt != nil }
