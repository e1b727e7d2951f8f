package edge

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// PracticeKey is where a surface keeps the request's *referral.Practice in the gin context once
// it knows it, so the request's log line names the practice.
const PracticeKey = "practice"

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._\-]{1,64}$`)

type requestIDKey struct{}

// RequestID is the id LogRequests gave the request of ctx: the caller's X-Request-Id when
// sensible, else ours. It lives in the request's context so that handlers outside gin, such
// as the web pages, quote the same id.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// LogRequests gives every request an id and logs one line for it when it ends: no body, no
// query string (emails travel in filters), and emails masked by the logger.
func LogRequests(c *gin.Context) {
	start := time.Now()
	id := c.GetHeader("X-Request-Id")
	if !validRequestID.MatchString(id) {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey{}, id))
	c.Header("X-Request-Id", id)
	c.Next()
	attrs := []any{"request_id", id, "method", c.Request.Method, "path", c.Request.URL.Path,
		"status", c.Writer.Status(), "duration_ms", time.Since(start).Milliseconds()}
	if p, ok := c.Get(PracticeKey); ok {
		attrs = append(attrs, "practice_id", p.(*referral.Practice).ID)
	}
	slog.InfoContext(c.Request.Context(), "request", attrs...)
}

// RecoverPanics turns a panic into a logged 500 problem instead of a dropped connection.
func RecoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			slog.ErrorContext(c.Request.Context(), "panic", "request_id", RequestID(c.Request.Context()), "panic", v)
			Refuse(c, EInternal, "Something went wrong on our side. Retrying is safe.")
		}
	}()
	c.Next()
}
