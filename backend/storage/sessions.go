package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Staff's dashboard sessions, by the hash of their tokens, and their failed sign-ins.

type sessionRow struct {
	Hash       string `gorm:"primaryKey"`
	PracticeID string
	StaffID    string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

func (sessionRow) TableName() string { return "sessions" }

func (t *tx) InsertSession(s *referral.Session) error {
	return t.insertNew(&sessionRow{Hash: s.Hash, PracticeID: s.PracticeID, StaffID: s.StaffID,
		CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt}, "session of staff "+s.StaffID)
}

func (t *tx) SessionByHash(hash string) (*referral.Session, error) {
	var row sessionRow
	found, err := first(t.g.Where("hash = ?", hash), &row, "session")
	if err != nil || !found {
		return nil, err
	}
	return &referral.Session{Hash: row.Hash, PracticeID: row.PracticeID, StaffID: row.StaffID,
		CreatedAt: row.CreatedAt.UTC(), LastSeenAt: row.LastSeenAt.UTC(), ExpiresAt: row.ExpiresAt.UTC()}, nil
}

func (t *tx) UpdateSession(s *referral.Session) error {
	err := t.g.Model(&sessionRow{}).Where("hash = ?", s.Hash).Update("last_seen_at", s.LastSeenAt).Error
	if err != nil {
		return fmt.Errorf("store: update session of staff %s: %w", s.StaffID, err)
	}
	return nil
}

func (t *tx) DeleteSession(hash string) error {
	if err := t.g.Where("hash = ?", hash).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

func (t *tx) DeleteStaffSessions(practiceID, staffID string) error {
	if err := t.g.Where("practice_id = ? AND staff_id = ?", practiceID, staffID).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("store: end the sessions of staff %s: %w", staffID, err)
	}
	return nil
}

// loginFailureRow is one failed sign-in; EmailHash hashes the email with the client's address,
// since a lock-out holds for the two together.
type loginFailureRow struct {
	ID        string
	EmailHash string
	FailedAt  time.Time
}

func (loginFailureRow) TableName() string { return "login_failures" }

func (t *tx) CountLoginFailures(key string, since time.Time) (int, error) {
	var n int64
	err := t.g.Model(&loginFailureRow{}).Where("email_hash = ? AND failed_at >= ?", key, since).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: count sign-in failures: %w", err)
	}
	return int(n), nil
}

// InsertLoginFailure also forgets failures older than a day, so the table stays small.
func (t *tx) InsertLoginFailure(key string, at time.Time) error {
	if err := t.g.Where("failed_at < ?", at.Add(-24*time.Hour)).Delete(&loginFailureRow{}).Error; err != nil {
		return fmt.Errorf("store: delete sign-in failures a day old: %w", err)
	}
	id := referral.NewID("lgf", at)
	return t.insertNew(&loginFailureRow{ID: id, EmailHash: key, FailedAt: at}, "sign-in failure "+id)
}

func (t *tx) ClearLoginFailures(key string) error {
	if err := t.g.Where("email_hash = ?", key).Delete(&loginFailureRow{}).Error; err != nil {
		return fmt.Errorf("store: clear sign-in failures: %w", err)
	}
	return nil
}
