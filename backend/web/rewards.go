package web

import "github.com/advocateloop/advocateloop/backend/referral"

// rewardLine is one of an advocate's rewards as their page shows it: the amount with its
// currency, the code, what became of it and when, in the practice's time zone. Nothing of the
// friend whose visit earned it.
type rewardLine struct {
	Amount string // "$50"
	Kind   string
	Code   string // empty for a capped or pending reward
	Status string // in words
	Date   string
}

var rewardStatuses = map[string]string{
	referral.Issued:   "Issued",
	referral.Redeemed: "Redeemed",
	referral.Voided:   "Voided",
	referral.Capped:   "Not issued: this year's limit",
}

var rewardKinds = map[string]string{
	referral.DiscountCode: "in service credit",
	referral.WalletCredit: "wallet credit, added by the front desk",
}

func rewardLines(p *referral.Practice, rewards []referral.Reward) []rewardLine {
	loc := p.Location()
	lines := make([]rewardLine, len(rewards))
	for i, r := range rewards {
		status, ok := rewardStatuses[r.Status]
		if !ok {
			status = r.Status
		}
		kind, ok := rewardKinds[r.Kind]
		if !ok {
			kind = "in service credit"
		}
		if r.Status == referral.Pending && r.HeldUntil != nil {
			status = "On its way, from " + r.HeldUntil.In(loc).Format("Jan 2")
		}
		lines[i] = rewardLine{Amount: r.Amount.Display(), Kind: kind, Code: r.Code, Status: status,
			Date: r.IssuedAt.In(loc).Format("Jan 2, 2006")}
	}
	return lines
}
