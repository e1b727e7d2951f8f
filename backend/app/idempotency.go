package app

import (
	"context"
	"time"

	"github.com/advocateloop/advocateloop/backend/api"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// idempotency is the database as the API keeps answers for Idempotency-Keys. The API and
// storage each have their own KeptResponse, so neither imports the other; this converts.
type idempotency struct{ *storage.DB }

func (d idempotency) ClaimIdempotencyKey(ctx context.Context, practiceID, key, requestHash string, now time.Time) (*api.KeptResponse, error) {
	kept, err := d.DB.ClaimIdempotencyKey(ctx, practiceID, key, requestHash, now)
	return (*api.KeptResponse)(kept), err
}

func (d idempotency) SaveIdempotentResponse(ctx context.Context, practiceID, key string, r *api.KeptResponse) error {
	return d.DB.SaveIdempotentResponse(ctx, practiceID, key, (*storage.KeptResponse)(r))
}

var _ api.Idempotency = idempotency{}
