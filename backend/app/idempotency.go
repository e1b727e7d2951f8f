package app

import (
	"context"
	"time"

	"github.com/advocateloop/advocateloop/backend/api"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// APIDatabase is the database as the API asks for it (api.Database). The API and storage each
// have their own KeptResponse, so neither imports the other; this converts between them.
type APIDatabase struct{ *storage.DB }

func (d APIDatabase) ClaimIdempotencyKey(ctx context.Context, practiceID, key, requestHash string, now time.Time) (*api.KeptResponse, error) {
	kept, err := d.DB.ClaimIdempotencyKey(ctx, practiceID, key, requestHash, now)
	return (*api.KeptResponse)(kept), err
}

func (d APIDatabase) SaveIdempotentResponse(ctx context.Context, practiceID, key string, r *api.KeptResponse) error {
	return d.DB.SaveIdempotentResponse(ctx, practiceID, key, (*storage.KeptResponse)(r))
}

var _ api.Database = APIDatabase{}
