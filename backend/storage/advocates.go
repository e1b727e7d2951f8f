package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Advocates: the patients who refer friends, and their codes.

type advocateRow struct {
	ID         string
	PracticeID string
	Name       string
	Email      string
	Status     string
	Code       string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (advocateRow) TableName() string { return "advocates" }

func (r *advocateRow) advocate() referral.Advocate {
	return referral.Advocate{ID: r.ID, PracticeID: r.PracticeID, Name: r.Name, Email: r.Email,
		Status: r.Status, Code: r.Code, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func (t *tx) advocateWhere(what, query string, args ...any) (*referral.Advocate, error) {
	var row advocateRow
	found, err := first(t.g.Where(query, args...), &row, what)
	if err != nil || !found {
		return nil, err
	}
	a := row.advocate()
	return &a, nil
}

func (t *tx) AdvocateByID(practiceID, id string) (*referral.Advocate, error) {
	return t.advocateWhere("advocate "+id, "practice_id = ? AND id = ?", practiceID, id)
}

func (t *tx) AdvocateByEmail(practiceID, email string) (*referral.Advocate, error) {
	return t.advocateWhere("advocate by email in practice "+practiceID, "practice_id = ? AND email = ?", practiceID, email)
}

func (t *tx) AdvocateByCode(practiceID, code string) (*referral.Advocate, error) {
	return t.advocateWhere("advocate with code "+code+" in practice "+practiceID, "practice_id = ? AND code = ?", practiceID, code)
}

// Invitation relies on codes being unique across practices (a unique index on code).
func (t *tx) Invitation(code string) (*referral.Practice, *referral.Advocate, error) {
	a, err := t.advocateWhere("advocate with code "+code, "code = ?", code)
	if err != nil || a == nil {
		return nil, nil, err
	}
	p, err := t.practiceWhere("practice "+a.PracticeID, "id = ?", a.PracticeID)
	if err != nil || p == nil {
		return nil, nil, err
	}
	return p, a, nil
}

func (t *tx) CountActiveAdvocates(practiceID string) (int, error) {
	var n int64
	err := t.g.Model(&advocateRow{}).Where("practice_id = ? AND status = ?", practiceID, referral.Active).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: count active advocates of practice %s: %w", practiceID, err)
	}
	return int(n), nil
}

func (t *tx) InsertAdvocate(a *referral.Advocate) (bool, error) {
	return t.insert(&advocateRow{ID: a.ID, PracticeID: a.PracticeID, Name: a.Name, Email: a.Email,
		Status: a.Status, Code: a.Code, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}, "advocate "+a.ID)
}

func (t *tx) UpdateAdvocate(a *referral.Advocate) error {
	return t.save(&advocateRow{ID: a.ID, PracticeID: a.PracticeID, Name: a.Name, Email: a.Email,
		Status: a.Status, Code: a.Code, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}, "advocate "+a.ID)
}

func (t *tx) ListAdvocates(practiceID string, f referral.AdvocateFilter, p referral.Page) ([]referral.Advocate, error) {
	q := t.g.Where("practice_id = ?", practiceID)
	if f.Email != "" {
		q = q.Where("email = ?", f.Email)
	}
	if f.Code != "" {
		q = q.Where("code = ?", f.Code)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Search != "" {
		q = q.Where(search("advocates.name", "advocates.email", "advocates.code"), searchArgs(f.Search)...)
	}
	if !f.IdleSince.IsZero() {
		q = q.Where("advocates.created_at < ? AND NOT EXISTS (SELECT 1 FROM referrals WHERE referrals.advocate_id = advocates.id AND referrals.claimed_at >= ?)",
			f.IdleSince, f.IdleSince)
	}
	return findAll(page(q, "advocates", p), (*advocateRow).advocate, "advocates of practice "+practiceID)
}
