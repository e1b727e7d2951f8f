package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Releasing held rewards: the worker's claim and its one update.

// heldRewardDue reads the reward with its advocate, as tx.rewards does. The practice is joined
// only to be held; the partial index on pending rewards' held_until finds the oldest due.
const heldRewardDue = `SELECT rewards.*, advocates.name AS advocate_name, advocates.email AS advocate_email, advocates.code AS advocate_code
	FROM rewards JOIN advocates ON advocates.id = rewards.advocate_id JOIN practices ON practices.id = rewards.practice_id
	WHERE rewards.status = ? AND rewards.held_until <= ?
	ORDER BY rewards.held_until LIMIT 1`

// HeldRewardDue locks the reward FOR UPDATE and its practice FOR SHARE, both SKIP LOCKED, in
// one statement: it never waits, so it can never wait for a refund that waits for it. SQLite
// runs one writer at a time and needs neither.
func (t *tx) HeldRewardDue(now time.Time) (*referral.Reward, error) {
	query := heldRewardDue
	if t.postgres {
		query += ` FOR UPDATE OF rewards SKIP LOCKED FOR SHARE OF practices SKIP LOCKED`
	}
	var rows []rewardRow
	if err := t.g.Raw(query, referral.Pending, now).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: find a held reward due by %s: %w", now.Format(time.RFC3339), err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0].reward()
	return &r, nil
}

func (t *tx) IssueHeldReward(r *referral.Reward) (bool, error) {
	res := t.g.Exec(`UPDATE rewards SET status = ?, code = ?, issued_at = ?, held_until = NULL WHERE id = ? AND status = ?`,
		r.Status, r.Code, r.IssuedAt, r.ID, referral.Pending)
	if res.Error != nil {
		return false, fmt.Errorf("store: issue held reward %s: %w", r.ID, res.Error)
	}
	return res.RowsAffected == 1, nil
}
