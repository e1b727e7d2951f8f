package referral

import (
	"context"
	"time"
)

// APIKey is a practice's key; only its hash is kept.
type APIKey struct {
	ID         string
	PracticeID string
	Hash       string
	Prefix     string // the first characters, so staff can tell keys apart
	CreatedAt  time.Time
	RevokedAt  *time.Time
}

// CreateAPIKey issues another key for the practice; the key itself is returned once.
func (s *Service) CreateAPIKey(ctx context.Context, p *Practice) (string, *APIKey, error) {
	key, hash := NewAPIKey()
	now := s.Now()
	k := &APIKey{ID: NewID("key", now), PracticeID: p.ID, Hash: hash, Prefix: key[:12], CreatedAt: now}
	if err := s.inTx(ctx, func(tx Tx) error { return tx.CreateAPIKey(k) }); err != nil {
		return "", nil, err
	}
	return key, k, nil
}

// APIKeys lists the practice's keys, revoked ones included, newest first.
func (s *Service) APIKeys(ctx context.Context, p *Practice) (list []APIKey, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		list, err = tx.ListAPIKeys(p.ID)
		return err
	})
	return list, err
}

// RevokeAPIKey stops a key working at once.
func (s *Service) RevokeAPIKey(ctx context.Context, p *Practice, id string) error {
	if !IsText(id) {
		return NotFound("API key")
	}
	return s.inTx(ctx, func(tx Tx) error {
		ok, err := tx.RevokeAPIKey(p.ID, id, s.Now())
		if err == nil && !ok {
			err = NotFound("API key")
		}
		return err
	})
}
