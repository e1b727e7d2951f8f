package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

const practiceKey = "practice"

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._\-]{1,64}$`)

type requestIDKey struct{}

// RequestID is the id logRequests gave the request of ctx: the caller's X-Request-Id when
// sensible, else ours. It lives in the request's context so that handlers outside gin, such
// as the web pages, quote the same id.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// logRequests gives every request an id and logs one line for it when it ends: no body, no
// query string (emails travel in filters), and emails masked by the logger.
func logRequests(c *gin.Context) {
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
	if p, ok := c.Get(practiceKey); ok {
		attrs = append(attrs, "practice_id", p.(*referral.Practice).ID)
	}
	slog.InfoContext(c.Request.Context(), "request", attrs...)
}

// recoverPanics turns a panic into a logged 500 problem instead of a dropped connection.
func recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			slog.ErrorContext(c.Request.Context(), "panic", "request_id", RequestID(c.Request.Context()), "panic", v)
			problem(c, eInternal, "Something went wrong on our side. Retrying is safe.")
		}
	}()
	c.Next()
}

// practice is the authenticated practice of a /v1 request.
func practice(c *gin.Context) *referral.Practice {
	return c.MustGet(practiceKey).(*referral.Practice)
}

// plainPath refuses a path holding what no id or code holds: a NUL character or bytes that
// are not UTF-8, which PostgreSQL cannot even compare. Nothing is at such an address.
func plainPath(c *gin.Context) {
	if !isText(c.Request.URL.Path) {
		problem(c, referral.ENotFound, "There is nothing at this address.")
		return
	}
	c.Next()
}

// queryNotText names the query parameters holding a NUL character or bytes that are not UTF-8.
func queryNotText(c *gin.Context) []referral.FieldError {
	var fields []referral.FieldError
	for name, values := range c.Request.URL.Query() {
		for _, v := range values {
			if !isText(name) || !isText(v) {
				fields = append(fields, referral.FieldError{Field: name, Detail: "must be UTF-8 text without NUL characters"})
				break
			}
		}
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
	return fields
}

func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
