package referral

import (
	"context"
	"strings"
)

// RewardPolicyChange is an admin changing what advocates earn, as typed in the dashboard.
type RewardPolicyChange struct {
	Kind      string `json:"kind" validate:"required,oneof=discount_code wallet_credit"`
	Amount    Amount `json:"amount"`
	Minimum   Amount `json:"minimum"`
	AnnualCap int    `json:"annual_cap" validate:"min=0,max=1000"`
	HoldDays  int    `json:"hold_days" validate:"min=0,max=90"`
}

// UpdateRewardPolicy replaces the practice's reward policy; rewards already issued keep theirs,
// and rewards already held keep their date.
func (s *Service) UpdateRewardPolicy(ctx context.Context, p *Practice, in RewardPolicyChange) (*Practice, error) {
	in.Kind = strings.TrimSpace(in.Kind)
	if err := check(in); err != nil {
		return nil, err
	}
	amount, err := in.Amount.Parse(p.Currency)
	if err != nil {
		return nil, InvalidField("amount", err.Error())
	}
	minimum := Money{Minor: 1, Currency: p.Currency}
	if strings.TrimSpace(string(in.Minimum)) != "" {
		if minimum, err = in.Minimum.Parse(p.Currency); err != nil {
			return nil, InvalidField("minimum", err.Error())
		}
	}
	var updated *Practice
	err = s.inTx(ctx, func(tx Tx) error {
		cur, err := lockPractice(tx, p)
		if err != nil {
			return err
		}
		cur.Reward = RewardPolicy{Kind: in.Kind, Amount: amount, AnnualCap: in.AnnualCap, Minimum: minimum, HoldDays: in.HoldDays}
		updated = cur
		return tx.UpdatePractice(cur)
	})
	return updated, err
}
