package storage

import (
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Rewards, read with their advocate; hold.go releases the held ones.

type rewardRow struct {
	ID                string
	PracticeID        string
	AdvocateID        string
	AdvocateName      string `gorm:"->"`
	AdvocateEmail     string `gorm:"->"`
	AdvocateCode      string `gorm:"->"`
	ConversionID      string
	Kind              string
	Code              *string
	AmountMinor       int64
	Currency          string
	Status            string
	ClawbackOwed      bool
	ClawbackSettledAt *time.Time
	IssuedAt          time.Time
	RedeemedAt        *time.Time
	VoidedAt          *time.Time
	HeldUntil         *time.Time
	PaidAt            time.Time
}

func (rewardRow) TableName() string { return "rewards" }

func toRewardRow(r *referral.Reward) *rewardRow {
	return &rewardRow{ID: r.ID, PracticeID: r.PracticeID, AdvocateID: r.AdvocateID,
		ConversionID: r.ConversionID, Kind: r.Kind, Code: orNull(r.Code), AmountMinor: r.Amount.Minor,
		Currency: r.Amount.Currency, Status: r.Status, ClawbackOwed: r.ClawbackOwed,
		ClawbackSettledAt: r.ClawbackSettledAt, IssuedAt: r.IssuedAt, RedeemedAt: r.RedeemedAt, VoidedAt: r.VoidedAt, HeldUntil: r.HeldUntil, PaidAt: r.PaidAt}
}

func (r *rewardRow) reward() referral.Reward {
	return referral.Reward{ID: r.ID, PracticeID: r.PracticeID, AdvocateID: r.AdvocateID,
		AdvocateName: r.AdvocateName, AdvocateEmail: r.AdvocateEmail, AdvocateCode: r.AdvocateCode, ConversionID: r.ConversionID, Kind: r.Kind, Code: deref(r.Code),
		Amount: referral.Money{Minor: r.AmountMinor, Currency: r.Currency}, Status: r.Status,
		ClawbackOwed: r.ClawbackOwed, ClawbackSettledAt: utc(r.ClawbackSettledAt), IssuedAt: r.IssuedAt.UTC(), RedeemedAt: utc(r.RedeemedAt),
		VoidedAt: utc(r.VoidedAt), HeldUntil: utc(r.HeldUntil), PaidAt: r.PaidAt.UTC()}
}

// rewards joins each reward's advocate, for the name the front desk reads.
func (t *tx) rewards() *gorm.DB {
	return t.g.Table("rewards").Select("rewards.*, advocates.name AS advocate_name, advocates.email AS advocate_email, advocates.code AS advocate_code").
		Joins("JOIN advocates ON advocates.id = rewards.advocate_id")
}

func (t *tx) RewardByCode(practiceID, code string) (*referral.Reward, error) {
	var row rewardRow
	found, err := first(t.rewards().Where("rewards.practice_id = ? AND rewards.code = ?", practiceID, code), &row, "reward "+code+" of practice "+practiceID)
	if err != nil || !found {
		return nil, err
	}
	r := row.reward()
	return &r, nil
}

// IssueReward counts the advocate's rewards for the year's payments in the statement that
// inserts the new one; the caller holds the advocate's row, so no other conversion counts meanwhile.
// (SQLite parses INSERT … SELECT … ON CONFLICT only with a WHERE in the SELECT.)
func (t *tx) IssueReward(r *referral.Reward, capAt int, from, to time.Time) (bool, error) {
	var code sql.NullString
	inserted, err := t.returning([]any{&r.Status, &code}, `INSERT INTO rewards (id, practice_id, advocate_id, conversion_id, kind, code, amount_minor,
			currency, status, clawback_owed, issued_at, held_until, paid_at)
		SELECT ?, ?, ?, ?, ?, CASE WHEN year.n >= ? THEN NULL ELSE ? END, ?, ?,
			CASE WHEN year.n >= ? THEN ? ELSE ? END, ?, ?, ?, ?
		FROM (SELECT COUNT(*) AS n FROM rewards WHERE practice_id = ? AND advocate_id = ?
			AND paid_at >= ? AND paid_at < ? AND status IN (?, ?, ?)) AS year
		WHERE TRUE
		ON CONFLICT DO NOTHING RETURNING status, code`,
		r.ID, r.PracticeID, r.AdvocateID, r.ConversionID, r.Kind, capAt, orNull(r.Code), r.Amount.Minor, r.Amount.Currency,
		capAt, referral.Capped, r.Status, r.ClawbackOwed, r.IssuedAt, r.HeldUntil, r.PaidAt,
		r.PracticeID, r.AdvocateID, from, to, referral.Pending, referral.Issued, referral.Redeemed)
	if err != nil {
		return false, fmt.Errorf("store: issue reward for conversion %s: %w", r.ConversionID, err)
	}
	r.Code = code.String
	if inserted && r.Status == referral.Capped && r.HeldUntil != nil {
		// A capped reward is never issued, so it is not held either. (Not a CASE above: its
		// NULL would make PostgreSQL read the time as text.)
		r.HeldUntil = nil
		if err := t.g.Exec(`UPDATE rewards SET held_until = NULL WHERE id = ?`, r.ID).Error; err != nil {
			return false, fmt.Errorf("store: unhold capped reward %s: %w", r.ID, err)
		}
	}
	return inserted, nil
}

func (t *tx) UpdateReward(r *referral.Reward) error { return t.save(toRewardRow(r), "reward "+r.ID) }

func (t *tx) ListRewards(practiceID string, f referral.RewardFilter, p referral.Page) ([]referral.Reward, error) {
	q := t.rewards().Where("rewards.practice_id = ?", practiceID)
	if f.AdvocateID != "" {
		q = q.Where("rewards.advocate_id = ?", f.AdvocateID)
	}
	if f.Status != "" {
		q = q.Where("rewards.status = ?", f.Status)
	}
	if f.Code != "" {
		q = q.Where("rewards.code = ?", f.Code)
	}
	if f.Kind != "" {
		q = q.Where("rewards.kind = ?", f.Kind)
	}
	if f.ClawbackOwed {
		q = q.Where("rewards.clawback_owed = ?", true)
	}
	if f.Search != "" {
		q = q.Where(search("advocates.name", "advocates.email", "rewards.code", "advocates.code"), searchArgs(f.Search)...)
	}
	return findAll(page(q, "rewards", p), (*rewardRow).reward, "rewards of practice "+practiceID)
}
