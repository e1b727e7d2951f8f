package app

import (
	"context"
	"time"

	"github.com/advocateloop/advocateloop/backend/api"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// apiDatabase is the database as the API asks for it (api.Database). The API and storage each
// name a kept answer their own way, so neither imports the other; this converts between them.
type apiDatabase struct{ *storage.DB }

func (d apiDatabase) ClaimIdempotencyKey(ctx context.Context, practiceID, key, requestHash string, now time.Time) (*api.KeptResponse, error) {
	kept, err := d.DB.ClaimIdempotencyKey(ctx, practiceID, key, requestHash, now)
	return (*api.KeptResponse)(kept), err
}

func (d apiDatabase) SaveIdempotentResponse(ctx context.Context, practiceID, key string, r *api.KeptResponse) error {
	return d.DB.SaveIdempotentResponse(ctx, practiceID, key, (*storage.KeptResponse)(r))
}

var _ api.Database = apiDatabase{}
