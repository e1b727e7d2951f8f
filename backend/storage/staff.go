package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Staff accounts, their sessions and sign-in failures, and API keys as the dashboard lists them.

func (r *staffRow) staff() referral.Staff {
	s := referral.Staff{ID: r.ID, PracticeID: r.PracticeID, Email: r.Email, Role: r.Role,
		PasswordHash: deref(r.PasswordHash), SetupTokenHash: deref(r.SetupTokenHash), CreatedAt: r.CreatedAt.UTC()}
	if r.SetupExpiresAt != nil {
		s.SetupExpiresAt = r.SetupExpiresAt.UTC()
	}
	return s
}

func toStaffRow(s *referral.Staff) *staffRow {
	row := &staffRow{ID: s.ID, PracticeID: s.PracticeID, Email: s.Email, Role: s.Role,
		PasswordHash: orNull(s.PasswordHash), SetupTokenHash: orNull(s.SetupTokenHash), CreatedAt: s.CreatedAt}
	if !s.SetupExpiresAt.IsZero() && s.SetupTokenHash != "" {
		row.SetupExpiresAt = &s.SetupExpiresAt
	}
	return row
}

func (t *tx) staffWhere(query string, args ...any) (*referral.Staff, error) {
	var row staffRow
	found, err := first(t.g.Where(query, args...), &row)
	if err != nil || !found {
		return nil, err
	}
	s := row.staff()
	return &s, nil
}

func (t *tx) StaffByID(practiceID, id string) (*referral.Staff, error) {
	return t.staffWhere("practice_id = ? AND id = ?", practiceID, id)
}

func (t *tx) StaffBySetupToken(hash string) (*referral.Staff, error) {
	return t.staffWhere("setup_token_hash = ?", hash)
}

func (t *tx) StaffByEmail(email string) ([]referral.Staff, error) {
	return findAll(t.g.Where("email = ?", email).Order("id"), (*staffRow).staff)
}

func (t *tx) UpdateStaff(s *referral.Staff) error { return t.save(toStaffRow(s)) }

func (t *tx) ListStaff(practiceID string) ([]referral.Staff, error) {
	return findAll(t.g.Where("practice_id = ?", practiceID).Order("id"), (*staffRow).staff)
}

// DeleteStaff removes a staff member and their sessions, which reference them.
func (t *tx) DeleteStaff(practiceID, id string) error {
	if err := t.DeleteStaffSessions(practiceID, id); err != nil {
		return err
	}
	if err := t.g.Where("practice_id = ? AND id = ?", practiceID, id).Delete(&staffRow{}).Error; err != nil {
		return fmt.Errorf("store: unable to delete staff %s: %w", id, err)
	}
	return nil
}

func (t *tx) PracticeByID(id string) (*referral.Practice, error) {
	return t.practiceWhere("id = ?", id)
}

func (r *apiKeyRow) apiKey() referral.APIKey {
	return referral.APIKey{ID: r.ID, PracticeID: r.PracticeID, Hash: r.Hash, Prefix: r.Prefix,
		CreatedAt: r.CreatedAt.UTC(), RevokedAt: utc(r.RevokedAt)}
}

func (t *tx) ListAPIKeys(practiceID string) ([]referral.APIKey, error) {
	return findAll(t.g.Where("practice_id = ?", practiceID).Order("id DESC"), (*apiKeyRow).apiKey)
}

func (t *tx) RevokeAPIKey(practiceID, id string, at time.Time) (bool, error) {
	res := t.g.Model(&apiKeyRow{}).Where("practice_id = ? AND id = ? AND revoked_at IS NULL", practiceID, id).
		Update("revoked_at", at)
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to revoke API key: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	// Revoking a revoked key again is not an error; another practice's key is not found.
	var n int64
	if err := t.g.Model(&apiKeyRow{}).Where("practice_id = ? AND id = ?", practiceID, id).Count(&n).Error; err != nil {
		return false, fmt.Errorf("store: unable to find API key: %w", err)
	}
	return n == 1, nil
}

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
		CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt}, "for a new token")
}

func (t *tx) SessionByHash(hash string) (*referral.Session, error) {
	var row sessionRow
	found, err := first(t.g.Where("hash = ?", hash), &row)
	if err != nil || !found {
		return nil, err
	}
	return &referral.Session{Hash: row.Hash, PracticeID: row.PracticeID, StaffID: row.StaffID,
		CreatedAt: row.CreatedAt.UTC(), LastSeenAt: row.LastSeenAt.UTC(), ExpiresAt: row.ExpiresAt.UTC()}, nil
}

func (t *tx) UpdateSession(s *referral.Session) error {
	err := t.g.Model(&sessionRow{}).Where("hash = ?", s.Hash).Update("last_seen_at", s.LastSeenAt).Error
	if err != nil {
		return fmt.Errorf("store: unable to update session: %w", err)
	}
	return nil
}

func (t *tx) DeleteSession(hash string) error {
	if err := t.g.Where("hash = ?", hash).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("store: unable to delete session: %w", err)
	}
	return nil
}

func (t *tx) DeleteStaffSessions(practiceID, staffID string) error {
	if err := t.g.Where("practice_id = ? AND staff_id = ?", practiceID, staffID).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("store: unable to end the sessions of staff %s: %w", staffID, err)
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
		return 0, fmt.Errorf("store: unable to count sign-in failures: %w", err)
	}
	return int(n), nil
}

// InsertLoginFailure also forgets failures older than a day, so the table stays small.
func (t *tx) InsertLoginFailure(key string, at time.Time) error {
	if err := t.g.Where("failed_at < ?", at.Add(-24*time.Hour)).Delete(&loginFailureRow{}).Error; err != nil {
		return fmt.Errorf("store: unable to purge sign-in failures: %w", err)
	}
	id := referral.NewID("lgf", at)
	return t.insertNew(&loginFailureRow{ID: id, EmailHash: key, FailedAt: at}, id)
}

func (t *tx) ClearLoginFailures(key string) error {
	if err := t.g.Where("email_hash = ?", key).Delete(&loginFailureRow{}).Error; err != nil {
		return fmt.Errorf("store: unable to clear sign-in failures: %w", err)
	}
	return nil
}

func (t *tx) Leaderboard(practiceID string, since time.Time, limit int) ([]referral.AdvocateCount, error) {
	var rows []struct {
		AdvocateID string
		Name       string
		Count      int
	}
	q := t.g.Table("conversions").Select("conversions.advocate_id, advocates.name, COUNT(*) AS count").
		Joins("JOIN advocates ON advocates.id = conversions.advocate_id").
		Where("conversions.practice_id = ? AND conversions.status = ?", practiceID, referral.Rewarded)
	if !since.IsZero() {
		q = q.Where("conversions.paid_at >= ?", since)
	}
	err := q.Group("conversions.advocate_id, advocates.name").
		Order("count DESC, advocates.name").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count conversions by advocate: %w", err)
	}
	out := make([]referral.AdvocateCount, len(rows))
	for i, r := range rows {
		out[i] = referral.AdvocateCount{AdvocateID: r.AdvocateID, Name: r.Name, Count: r.Count}
	}
	return out, nil
}
