package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Staff accounts: the people who sign in to the dashboard.

type staffRow struct {
	ID             string
	PracticeID     string
	Email          string
	Role           string
	PasswordHash   *string
	SetupTokenHash *string
	SetupExpiresAt *time.Time
	CreatedAt      time.Time
}

func (staffRow) TableName() string { return "staff" }

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

func (t *tx) CreateStaff(s *referral.Staff) (bool, error) {
	return t.insert(toStaffRow(s), "staff "+s.ID+" of practice "+s.PracticeID)
}

func (t *tx) staffWhere(what, query string, args ...any) (*referral.Staff, error) {
	var row staffRow
	found, err := first(t.g.Where(query, args...), &row, what)
	if err != nil || !found {
		return nil, err
	}
	s := row.staff()
	return &s, nil
}

func (t *tx) StaffByID(practiceID, id string) (*referral.Staff, error) {
	return t.staffWhere("staff "+id, "practice_id = ? AND id = ?", practiceID, id)
}

func (t *tx) StaffBySetupToken(hash string) (*referral.Staff, error) {
	return t.staffWhere("staff by setup token", "setup_token_hash = ?", hash)
}

func (t *tx) StaffByEmail(email string) ([]referral.Staff, error) {
	return findAll(t.g.Where("email = ?", email).Order("id"), (*staffRow).staff, "staff by email")
}

func (t *tx) UpdateStaff(s *referral.Staff) error { return t.save(toStaffRow(s), "staff "+s.ID) }

func (t *tx) ListStaff(practiceID string) ([]referral.Staff, error) {
	return findAll(t.g.Where("practice_id = ?", practiceID).Order("id"), (*staffRow).staff, "staff of practice "+practiceID)
}

// DeleteStaff removes a staff member and their sessions, which reference them.
func (t *tx) DeleteStaff(practiceID, id string) error {
	if err := t.DeleteStaffSessions(practiceID, id); err != nil {
		return err
	}
	if err := t.g.Where("practice_id = ? AND id = ?", practiceID, id).Delete(&staffRow{}).Error; err != nil {
		return fmt.Errorf("store: delete staff %s: %w", id, err)
	}
	return nil
}
