package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Idempotency keeps answers by Idempotency-Key in the database, so every server of a practice
// sees the same keys.
type Idempotency interface {
	// ClaimIdempotencyKey reserves key for a request with this hash and returns nil, or returns
	// what is already kept under the key (Status 0 while its request is still running).
	ClaimIdempotencyKey(ctx context.Context, practiceID, key, requestHash string, now time.Time) (*referral.IdempotentResponse, error)
	SaveIdempotentResponse(ctx context.Context, practiceID, key string, r *referral.IdempotentResponse) error
	ReleaseIdempotencyKey(ctx context.Context, practiceID, key string) error
}

// idempotent makes a POST with an Idempotency-Key answer the same way when sent again.
func idempotent(store Idempotency) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader("Idempotency-Key")
		if c.Request.Method != http.MethodPost || key == "" {
			c.Next()
			return
		}
		if len(key) > 255 {
			problem(c, referral.EInvalid, "The Idempotency-Key header is too long.",
				referral.FieldError{Field: "Idempotency-Key", Detail: "must be at most 255 characters"})
			return
		}
		if !isText(key) {
			problem(c, referral.EInvalid, "The Idempotency-Key header is not text.",
				referral.FieldError{Field: "Idempotency-Key", Detail: "must be UTF-8 text, such as a UUID"})
			return
		}
		body, ok := readBody(c)
		if !ok {
			return
		}
		sum := sha256.Sum256(append([]byte(c.Request.Method+" "+c.Request.URL.Path+"\n"), body...))
		hash := hex.EncodeToString(sum[:])

		ctx, p := c.Request.Context(), practice(c)
		kept, err := store.ClaimIdempotencyKey(ctx, p.ID, key, hash, time.Now().UTC())
		switch {
		case err != nil:
			fail(c, err)
		case kept == nil:
			respondAndKeep(c, store, p.ID, key, hash)
		case kept.RequestHash != hash:
			problem(c, eKeyReused, "This Idempotency-Key was already used with a different request. Use a new key for a new request.")
		case kept.Status == 0:
			SetRetryAfter(c.Writer, 1)
			problem(c, eRequestInProgress, "A request with this Idempotency-Key is still running; retry in a moment.")
		default:
			c.Header("Idempotent-Replayed", "true")
			c.Data(kept.Status, kept.ContentType, kept.Body)
			c.Abort()
		}
	}
}

// respondAndKeep runs the handler and keeps its answer; a server error is not kept, so the
// client's retry runs again.
func respondAndKeep(c *gin.Context, store Idempotency, practiceID, key, hash string) {
	rec := &recorder{ResponseWriter: c.Writer}
	c.Writer = rec
	c.Next()
	// The request may be cancelled by now; keeping the answer must not be.
	ctx := context.WithoutCancel(c.Request.Context())
	var err error
	if status := c.Writer.Status(); status >= 500 {
		err = store.ReleaseIdempotencyKey(ctx, practiceID, key)
	} else {
		err = store.SaveIdempotentResponse(ctx, practiceID, key, &referral.IdempotentResponse{
			RequestHash: hash, Status: status, ContentType: c.Writer.Header().Get("Content-Type"), Body: rec.body.Bytes()})
	}
	if err != nil {
		slog.ErrorContext(ctx, "idempotency key not saved", "request_id", RequestID(ctx), "error", err.Error())
	}
}

// recorder copies a response body as it is written.
type recorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.body.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}
