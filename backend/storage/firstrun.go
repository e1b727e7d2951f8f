package storage

import (
	"fmt"
	"time"
)

// The one-time tokens that let a stranger-proof /setup create the first practice.

type firstRunTokenRow struct {
	Hash      string `gorm:"primaryKey"`
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (firstRunTokenRow) TableName() string { return "first_run_tokens" }

func (t *tx) InsertFirstRunToken(hash string, at, expires time.Time) error {
	return t.insertNew(&firstRunTokenRow{Hash: hash, CreatedAt: at, ExpiresAt: expires}, "a first-run token")
}

func (t *tx) FirstRunTokenValid(hash string, now time.Time) (bool, error) {
	var row firstRunTokenRow
	return first(t.g.Where("hash = ? AND expires_at > ?", hash, now), &row, "a first-run token")
}

// ClaimFirstRunToken deletes every token in one statement and tells whether hash was among
// them, unexpired: of two servers claiming at once, the second finds nothing left.
func (t *tx) ClaimFirstRunToken(hash string, now time.Time) (bool, error) {
	var rows []firstRunTokenRow
	if err := t.g.Raw("DELETE FROM first_run_tokens RETURNING hash, created_at, expires_at").Scan(&rows).Error; err != nil {
		return false, fmt.Errorf("store: claim a first-run token: %w", err)
	}
	for _, r := range rows {
		if r.Hash == hash && r.ExpiresAt.After(now) {
			return true, nil
		}
	}
	return false, nil
}
