package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// idempotencyRow is a key's request and, once it has one, its answer. While the request runs
// (status 0), created_at is when its server last renewed the claim.
type idempotencyRow struct {
	PracticeID     string `gorm:"primaryKey"`
	IdempotencyKey string `gorm:"primaryKey"`
	RequestHash    string
	Status         int
	ContentType    string
	Body           string
	CreatedAt      time.Time
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

// IdempotencyWindow is how long an Idempotency-Key is remembered.
const IdempotencyWindow = 24 * time.Hour

// DefaultIdempotencyLease is how long a key stays held for a request that is running without
// its server saying so again: a running request renews its claim well within it, so only a
// claim whose server died lapses, and the client's retry gets through seconds later.
const DefaultIdempotencyLease = 5 * time.Second

// KeptResponse is an answer kept for an Idempotency-Key, so that a client retrying the same
// request within IdempotencyWindow gets the same answer. Status 0 means still running.
type KeptResponse struct {
	RequestHash string
	Status      int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}

// IdempotencyLease is DefaultIdempotencyLease unless SetIdempotencyLease changed it.
func (db *DB) IdempotencyLease() time.Duration {
	if db.idempotencyLease > 0 {
		return db.idempotencyLease
	}
	return DefaultIdempotencyLease
}

// SetIdempotencyLease shortens (or lengthens) the lease, before the server starts; tests use it
// to see a lease lapse without waiting seconds.
func (db *DB) SetIdempotencyLease(d time.Duration) { db.idempotencyLease = d }

// ClaimIdempotencyKey reserves key for a request with this hash and returns nil, or returns
// what is already kept under it; see api.Idempotency.
func (db *DB) ClaimIdempotencyKey(ctx context.Context, practiceID, key, hash string, now time.Time) (*KeptResponse, error) {
	var kept *KeptResponse
	err := db.retrying(ctx, func() error {
		return db.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
			kept = nil
			// Forget an expired answer, or a claim whose server stopped renewing it (it died), so
			// the key can be used.
			err := g.Where("practice_id = ? AND idempotency_key = ? AND (created_at < ? OR (status = 0 AND created_at < ?))",
				practiceID, key, now.Add(-IdempotencyWindow), now.Add(-db.IdempotencyLease())).
				Delete(&idempotencyRow{}).Error
			if err != nil {
				return err
			}
			res := g.Clauses(clause.OnConflict{DoNothing: true}).Create(&idempotencyRow{
				PracticeID: practiceID, IdempotencyKey: key, RequestHash: hash, CreatedAt: now})
			if res.Error != nil || res.RowsAffected == 1 {
				return res.Error
			}
			var row idempotencyRow
			if err := g.Where("practice_id = ? AND idempotency_key = ?", practiceID, key).Take(&row).Error; err != nil {
				return err
			}
			kept = &KeptResponse{RequestHash: row.RequestHash, Status: row.Status,
				ContentType: row.ContentType, Body: []byte(row.Body), CreatedAt: row.CreatedAt}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim idempotency key of practice %s: %w", practiceID, err)
	}
	return kept, nil
}

// RenewIdempotencyKey says the key's request is still running.
func (db *DB) RenewIdempotencyKey(ctx context.Context, practiceID, key string, now time.Time) error {
	err := db.retrying(ctx, func() error {
		return db.gorm.WithContext(ctx).Model(&idempotencyRow{}).
			Where("practice_id = ? AND idempotency_key = ? AND status = 0", practiceID, key).
			Update("created_at", now).Error
	})
	if err != nil {
		return fmt.Errorf("store: renew idempotency key of practice %s: %w", practiceID, err)
	}
	return nil
}

// SaveIdempotentResponse keeps the answer of the key's request.
func (db *DB) SaveIdempotentResponse(ctx context.Context, practiceID, key string, r *KeptResponse) error {
	err := db.retrying(ctx, func() error {
		return db.gorm.WithContext(ctx).Model(&idempotencyRow{}).Where("practice_id = ? AND idempotency_key = ?", practiceID, key).
			Updates(map[string]any{"status": r.Status, "content_type": r.ContentType, "body": string(r.Body)}).Error
	})
	if err != nil {
		return fmt.Errorf("store: keep the answer to an idempotency key of practice %s: %w", practiceID, err)
	}
	return nil
}

// ReleaseIdempotencyKey frees the key of a request that failed, so its retry runs again.
func (db *DB) ReleaseIdempotencyKey(ctx context.Context, practiceID, key string) error {
	err := db.retrying(ctx, func() error {
		return db.gorm.WithContext(ctx).Where("practice_id = ? AND idempotency_key = ? AND status = 0", practiceID, key).
			Delete(&idempotencyRow{}).Error
	})
	if err != nil {
		return fmt.Errorf("store: release idempotency key of practice %s: %w", practiceID, err)
	}
	return nil
}
