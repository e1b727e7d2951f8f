package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// One-time sign-in and join links, and advocates' page sessions: only token hashes are kept.

type signInLinkRow struct {
	Hash       string
	PracticeID string
	AdvocateID *string
	Name       string
	Email      string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

func (signInLinkRow) TableName() string { return "sign_in_links" }

func (r *signInLinkRow) link() *referral.SignInLink {
	return &referral.SignInLink{Hash: r.Hash, PracticeID: r.PracticeID, AdvocateID: deref(r.AdvocateID),
		Name: r.Name, Email: r.Email, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
}

type advocateSessionRow struct {
	Hash       string
	PracticeID string
	AdvocateID string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

func (advocateSessionRow) TableName() string { return "advocate_sessions" }

func (t *tx) InsertSignInLink(l *referral.SignInLink) error {
	return t.insertNew(&signInLinkRow{Hash: l.Hash, PracticeID: l.PracticeID, AdvocateID: orNull(l.AdvocateID),
		Name: l.Name, Email: l.Email, CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt}, "sign-in link in practice "+l.PracticeID)
}

func (t *tx) SignInLinkByHash(practiceID, hash string) (*referral.SignInLink, error) {
	var row signInLinkRow
	found, err := first(t.g.Where("practice_id = ? AND hash = ?", practiceID, hash), &row, "sign-in link in practice "+practiceID)
	if err != nil || !found {
		return nil, err
	}
	return row.link(), nil
}

// TakeSignInLink reads and deletes a link; of two requests using it at once, only the one whose
// delete removed the row gets it.
func (t *tx) TakeSignInLink(practiceID, hash string) (*referral.SignInLink, error) {
	l, err := t.SignInLinkByHash(practiceID, hash)
	if err != nil || l == nil {
		return nil, err
	}
	res := t.g.Where("hash = ?", hash).Delete(&signInLinkRow{})
	if res.Error != nil {
		return nil, fmt.Errorf("store: spend a sign-in link in practice %s: %w", practiceID, res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, nil
	}
	return l, nil
}

func (t *tx) InsertAdvocateSession(s *referral.AdvocateSession) error {
	return t.insertNew(&advocateSessionRow{Hash: s.Hash, PracticeID: s.PracticeID, AdvocateID: s.AdvocateID,
		CreatedAt: s.CreatedAt, ExpiresAt: s.ExpiresAt}, "page session of advocate "+s.AdvocateID)
}

func (t *tx) AdvocateSessionByHash(hash string) (*referral.AdvocateSession, error) {
	var row advocateSessionRow
	found, err := first(t.g.Where("hash = ?", hash), &row, "advocate page session")
	if err != nil || !found {
		return nil, err
	}
	return &referral.AdvocateSession{Hash: row.Hash, PracticeID: row.PracticeID, AdvocateID: row.AdvocateID,
		CreatedAt: row.CreatedAt.UTC(), ExpiresAt: row.ExpiresAt.UTC()}, nil
}

func (t *tx) DeleteAdvocateSession(hash string) error {
	if err := t.g.Where("hash = ?", hash).Delete(&advocateSessionRow{}).Error; err != nil {
		return fmt.Errorf("store: end an advocate page session: %w", err)
	}
	return nil
}

func (t *tx) DeleteExpiredSignIns(now time.Time) (int64, error) {
	links := t.g.Where("expires_at < ?", now).Delete(&signInLinkRow{})
	if links.Error != nil {
		return 0, fmt.Errorf("store: delete sign-in links expired by %s: %w", now.Format(time.RFC3339), links.Error)
	}
	sessions := t.g.Where("expires_at < ?", now).Delete(&advocateSessionRow{})
	if sessions.Error != nil {
		return 0, fmt.Errorf("store: delete advocate page sessions expired by %s: %w", now.Format(time.RFC3339), sessions.Error)
	}
	return links.RowsAffected + sessions.RowsAffected, nil
}
