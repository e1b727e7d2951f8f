package delivery

import (
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// FuzzRetryAfter: a hook receiver's Retry-After, whatever it holds, is a wait of zero or more,
// never longer than asked; and the retry it leads to is never earlier than what was asked
// (up to a day, the longest wait the worker honours), in seconds or as an HTTP date. Anything
// else is no hint. `go test` replays the seeds in testdata/fuzz.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	f.Add("120")
	f.Add("Mon, 23 Nov 2026 14:05:00 GMT")
	f.Fuzz(func(t *testing.T, v string) {
		wait := parseRetryAfter(v, now)
		if wait < 0 {
			t.Fatalf("Retry-After %q is a wait of %v", v, wait)
		}
		asked, ok := askedFor(v, now)
		if !ok {
			if wait != 0 {
				t.Fatalf("Retry-After %q, which asks nothing, is a wait of %v", v, wait)
			}
			return
		}
		if wait > asked {
			t.Fatalf("Retry-After %q asks %v, yet the wait is %v", v, asked, wait)
		}
		for attempts := 1; attempts < referral.MaxDeliveryAttempts; attempts++ {
			next, retried := referral.NextAttempt(attempts, now, wait)
			if !retried || next.Before(now.Add(min(asked, 24*time.Hour))) {
				t.Fatalf("Retry-After %q asks %v, yet attempt %d retries at %v", v, asked, attempts+1, next)
			}
		}
	})
}

// askedFor is what a Retry-After value asks for by RFC 9110: a number of seconds, or a date
// (a date past is no wait); ok is false for anything else. Seconds beyond what a Duration holds
// are the longest Duration.
func askedFor(v string, now time.Time) (time.Duration, bool) {
	if digits := strings.TrimPrefix(v, "+"); digits != "" && strings.Trim(digits, "0123456789") == "" {
		n, _ := new(big.Int).SetString(digits, 10)
		if n.Sign() == 0 {
			return 0, false
		}
		if n.Cmp(big.NewInt(int64(time.Duration(1<<63-1)/time.Second))) > 0 {
			return time.Duration(1<<63 - 1), true
		}
		return time.Duration(n.Int64()) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), at.After(now)
	}
	return 0, false
}
