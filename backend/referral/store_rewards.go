package referral

import "time"

// Rewards keeps what advocates earn, from issue (or hold, or cap) to redemption or void.
type Rewards interface {
	RewardByCode(practiceID, code string) (*Reward, error)
	// IssueReward inserts r, or, when r's advocate already has capAt pending, issued or
	// redeemed rewards for payments made in [from, to), inserts it capped, without a code or a
	// hold (r tells which). It counts and inserts in one statement, under the advocate's lock
	// (ReferralForPayment). False when the conversion has a reward already or r's code is taken.
	IssueReward(r *Reward, capAt int, from, to time.Time) (bool, error)
	UpdateReward(r *Reward) error
	ListRewards(practiceID string, f RewardFilter, p Page) ([]Reward, error)
	// HeldRewardDue finds a pending reward, of any practice, whose hold ended by now, and holds
	// it and (as SharePractice does) its practice until the transaction ends, so a refund of
	// its conversion waits for the release or comes first. On PostgreSQL it skips rewards that
	// another transaction holds, or whose practice a refund holds, so servers releasing at once
	// take different rewards and none waits. Nil when none is due.
	HeldRewardDue(now time.Time) (*Reward, error)
	// IssueHeldReward gives a pending reward r's code and issued time, and status issued;
	// false when it is no longer pending.
	IssueHeldReward(r *Reward) (bool, error)
}
