package api

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// KeptResponse is an answer kept for an Idempotency-Key, so that a client retrying the same
// request within a day (storage.IdempotencyWindow) gets the same answer. Status 0 means still running.
type KeptResponse struct {
	RequestHash string
	Status      int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}

// Idempotency keeps answers by Idempotency-Key in the database, so every server of a practice
// sees the same keys.
type Idempotency interface {
	// ClaimIdempotencyKey reserves key for a request with this hash and returns nil, or returns
	// what is already kept under the key (Status 0 while its request is still running). A
	// running claim not renewed within IdempotencyLease was its dead server's: it is taken over.
	ClaimIdempotencyKey(ctx context.Context, practiceID, key, requestHash string, now time.Time) (*KeptResponse, error)
	// RenewIdempotencyKey says the key's request is still running.
	RenewIdempotencyKey(ctx context.Context, practiceID, key string, now time.Time) error
	IdempotencyLease() time.Duration
	SaveIdempotentResponse(ctx context.Context, practiceID, key string, r *KeptResponse) error
	ReleaseIdempotencyKey(ctx context.Context, practiceID, key string) error
}

// idempotent makes a POST with an Idempotency-Key answer the same way when sent again.
func idempotent(store Idempotency, now func() time.Time) gin.HandlerFunc {
	running := &runningKeys{hashes: map[string]string{}}
	return func(c *gin.Context) {
		key := c.GetHeader("Idempotency-Key")
		if c.Request.Method != http.MethodPost || key == "" {
			c.Next()
			return
		}
		if len(key) > 255 {
			edge.Refuse(c, referral.EInvalid, "The Idempotency-Key header is too long.",
				referral.FieldError{Field: "Idempotency-Key", Detail: "must be at most 255 characters"})
			return
		}
		if !referral.IsText(key) {
			edge.Refuse(c, referral.EInvalid, "The Idempotency-Key header is not text.",
				referral.FieldError{Field: "Idempotency-Key", Detail: "must be UTF-8 text, such as a UUID"})
			return
		}
		body, ok := readBody(c)
		if !ok {
			return
		}
		hash := RequestHash(c.Request.Method, c.Request.URL.Path, body)
		ctx, p := c.Request.Context(), practice(c)

		// A request running here holds its key even when the database is too busy to renew
		// the claim (SQLite has one connection): no need to ask it.
		local := p.ID + "\x00" + key
		if runningHash, ok := running.start(local, hash); !ok {
			refuseRunning(c, runningHash != hash)
			return
		}
		defer running.done(local)

		kept, err := store.ClaimIdempotencyKey(ctx, p.ID, key, hash, now())
		switch {
		case err != nil:
			edge.Fail(c, err)
		case kept == nil:
			respondAndKeep(c, store, now, p.ID, key, hash)
		case kept.RequestHash != hash || kept.Status == 0:
			refuseRunning(c, kept.RequestHash != hash)
		default:
			c.Header("Idempotent-Replayed", "true")
			c.Data(kept.Status, kept.ContentType, kept.Body)
			c.Abort()
		}
	}
}

// refuseRunning answers a key already taken by another request, or by this one still running.
func refuseRunning(c *gin.Context, otherRequest bool) {
	if otherRequest {
		edge.Refuse(c, edge.EKeyReused, "This Idempotency-Key was already used with a different request. Use a new key for a new request.")
		return
	}
	edge.SetRetryAfter(c.Writer, 1)
	edge.Refuse(c, edge.ERequestInProgress, "A request with this Idempotency-Key is still running; retry in a moment.")
}

// keepTimeout bounds keeping an answer once the handler is done: a few milliseconds when the
// database is well, and no longer than this when it is not.
const keepTimeout = 500 * time.Millisecond

// respondAndKeep runs the handler, renewing the key's claim while it runs, and keeps its
// answer; a server error is not kept, so the client's retry runs again.
func respondAndKeep(c *gin.Context, store Idempotency, now func() time.Time, practiceID, key, hash string) {
	// The request may be cancelled by now; keeping the answer must not be.
	ctx := context.WithoutCancel(c.Request.Context())
	stop := renewWhileRunning(ctx, store, now, practiceID, key)
	defer stop() // a handler that panics leaves a claim that lapses
	rec := &recorder{ResponseWriter: c.Writer}
	c.Writer = rec
	c.Next()
	stop()
	// Keeping it may not hold the answer back for long either: a claim not kept lapses with its
	// lease, and the client's retry runs again, which every operation answers as a replay.
	ctx, cancel := context.WithTimeout(ctx, keepTimeout)
	defer cancel()
	var err error
	if status := c.Writer.Status(); status >= 500 {
		err = store.ReleaseIdempotencyKey(ctx, practiceID, key)
	} else {
		err = store.SaveIdempotentResponse(ctx, practiceID, key, &KeptResponse{
			RequestHash: hash, Status: status, ContentType: c.Writer.Header().Get("Content-Type"), Body: rec.body.Bytes()})
	}
	if err != nil {
		slog.ErrorContext(ctx, "idempotency key not saved", "request_id", edge.RequestID(ctx), "error", err.Error())
	}
}

// renewWhileRunning renews the key's claim five times a lease until stop is called (once or
// more), so other servers see the request is alive; only a dead server's claim lapses.
func renewWhileRunning(ctx context.Context, store Idempotency, now func() time.Time, practiceID, key string) (stop func()) {
	lease := store.IdempotencyLease()
	// Stopping also cancels a renewal under way, so a busy database never holds the answer back.
	ctx, cancel := context.WithCancel(ctx)
	quit, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(lease / 5)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				renewCtx, cancel := context.WithTimeout(ctx, lease)
				err := store.RenewIdempotencyKey(renewCtx, practiceID, key, now())
				cancel()
				if err != nil {
					slog.WarnContext(ctx, "idempotency key not renewed", "request_id", edge.RequestID(ctx), "error", err.Error())
				}
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit); cancel() })
		<-stopped
	}
}

// runningKeys are the keys whose requests run in this process, with their request hashes.
type runningKeys struct {
	mu     sync.Mutex
	hashes map[string]string
}

// start takes key for a request with hash; when it is taken, it says by which request hash.
func (r *runningKeys) start(key, hash string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, taken := r.hashes[key]; taken {
		return h, false
	}
	r.hashes[key] = hash
	return "", true
}

func (r *runningKeys) done(key string) {
	r.mu.Lock()
	delete(r.hashes, key)
	r.mu.Unlock()
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
