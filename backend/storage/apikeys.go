package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// API keys: only their hashes are kept.

type apiKeyRow struct {
	ID         string
	PracticeID string
	Hash       string
	Prefix     string
	CreatedAt  time.Time
	RevokedAt  *time.Time
}

func (apiKeyRow) TableName() string { return "api_keys" }

func (r *apiKeyRow) apiKey() referral.APIKey {
	return referral.APIKey{ID: r.ID, PracticeID: r.PracticeID, Hash: r.Hash, Prefix: r.Prefix,
		CreatedAt: r.CreatedAt.UTC(), RevokedAt: utc(r.RevokedAt)}
}

func (t *tx) CreateAPIKey(k *referral.APIKey) error {
	return t.insertNew(&apiKeyRow{ID: k.ID, PracticeID: k.PracticeID, Hash: k.Hash, Prefix: k.Prefix, CreatedAt: k.CreatedAt}, "API key "+k.ID)
}

func (t *tx) ListAPIKeys(practiceID string) ([]referral.APIKey, error) {
	return findAll(t.g.Where("practice_id = ?", practiceID).Order("id DESC"), (*apiKeyRow).apiKey, "API keys of practice "+practiceID)
}

func (t *tx) RevokeAPIKey(practiceID, id string, at time.Time) (bool, error) {
	res := t.g.Model(&apiKeyRow{}).Where("practice_id = ? AND id = ? AND revoked_at IS NULL", practiceID, id).
		Update("revoked_at", at)
	if res.Error != nil {
		return false, fmt.Errorf("store: revoke API key %s: %w", id, res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	// Revoking a revoked key again is not an error; another practice's key is not found.
	var n int64
	if err := t.g.Model(&apiKeyRow{}).Where("practice_id = ? AND id = ?", practiceID, id).Count(&n).Error; err != nil {
		return false, fmt.Errorf("store: find API key %s: %w", id, err)
	}
	return n == 1, nil
}
