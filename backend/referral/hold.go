package referral

import (
	"context"
	"fmt"
	"time"
)

// heldUntil is when a reward for a payment made at paidAt leaves the practice's hold: that many
// days later, as the practice's calendar counts them. Nil when the practice holds nothing, or
// the window had closed by now (a payment reported late): the reward is issued at once.
func (p *Practice) heldUntil(paidAt, now time.Time) *time.Time {
	if p.Reward.HoldDays <= 0 {
		return nil
	}
	until := paidAt.In(p.Location()).AddDate(0, 0, p.Reward.HoldDays).UTC()
	if !until.After(now) {
		return nil
	}
	return &until
}

// ReleaseHeldRewards issues up to limit pending rewards whose hold has ended, each in a
// transaction of its own: its code, the reward.issued event and the reward email, as a reward
// issued at once has them. It says how many it issued. Several servers may run it at once:
// each reward is claimed, and issued only while still pending, so none is issued twice.
func (s *Service) ReleaseHeldRewards(ctx context.Context, limit int) (int, error) {
	n := 0
	for n < limit {
		released, err := s.releaseHeldReward(ctx)
		if err != nil || !released {
			return n, err
		}
		n++
	}
	return n, nil
}

// releaseHeldReward issues one reward whose hold has ended; false when none is due.
func (s *Service) releaseHeldReward(ctx context.Context) (released bool, err error) {
	err = s.inTx(ctx, func(tx Tx) error {
		released = false
		now := s.Now()
		r, err := tx.HeldRewardDue(now)
		if err != nil || r == nil {
			return err
		}
		p, err := tx.PracticeByID(r.PracticeID)
		if err == nil && p == nil {
			err = fmt.Errorf("referral: practice %s of held reward %s not found", r.PracticeID, r.ID)
		}
		if err != nil {
			return err
		}
		// A code taken meanwhile fails the update; the next try (or tick) draws another.
		r.Code, r.Status, r.IssuedAt, r.HeldUntil = NewRewardCode(), Issued, now, nil
		if released, err = tx.IssueHeldReward(r); err != nil || !released {
			return err
		}
		if err := tx.InsertEvent(s.newEvent(p, RewardIssued, r)); err != nil {
			return err
		}
		a := &Advocate{ID: r.AdvocateID, PracticeID: p.ID, Name: r.AdvocateName, Email: r.AdvocateEmail, Code: r.AdvocateCode}
		s.present(a)
		return s.tellRewardEarned(tx, p, a, r)
	})
	return released, err
}
