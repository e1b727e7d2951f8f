package referral

import (
	"context"
	"time"
)

// UndoWindow is how long after redeeming a reward the front desk can take it back: long
// enough to fix a wrong tap at checkout, short enough that a redeemed code stays redeemed.
const UndoWindow = 5 * time.Minute

// UndoRedeem puts a reward redeemed by mistake back to issued, within UndoWindow.
func (s *Service) UndoRedeem(ctx context.Context, p *Practice, code string) (*Reward, error) {
	code = NormalizeCode(code)
	var r *Reward
	err := s.inTx(ctx, func(tx Tx) (err error) {
		if r, err = lockedReward(tx, p, code); err != nil {
			return err
		}
		switch {
		case r.Status != Redeemed || r.RedeemedAt == nil:
			return Errorf(EInvalid, "Reward %s is not redeemed, so there is nothing to undo.", code)
		case s.Now().Sub(*r.RedeemedAt) > UndoWindow:
			return Errorf(EInvalid, "Reward %s was redeemed more than 5 minutes ago and can no longer be undone.", code)
		}
		r.Status, r.RedeemedAt = Issued, nil
		return tx.UpdateReward(r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
