// Package ratelimit gives each caller (a practice, an IP address) a token bucket of its own.
// Buckets live in this process: with several servers a caller gets each server's allowance,
// which is fine for limits that exist to stop runaway clients and bots, not to meter usage.
package ratelimit

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter allows each key perSecond requests on average, in bursts of up to burst.
type Limiter struct {
	now       func() time.Time
	perSecond float64
	burst     int
	mu        sync.Mutex
	buckets   map[string]*bucket
}

type bucket struct {
	limiter *rate.Limiter
	seen    time.Time
}

// maxKeys is how many buckets are kept before idle ones are forgotten.
const maxKeys = 10000

// New returns a limiter reading the time from now (nil is the real clock); a perSecond or
// burst of zero or less means 20 and twice perSecond.
func New(perSecond float64, burst int, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	if perSecond <= 0 {
		perSecond = 20
	}
	if burst <= 0 {
		burst = int(math.Ceil(2 * perSecond))
	}
	return &Limiter{now: now, perSecond: perSecond, burst: burst, buckets: map[string]*bucket{}}
}

// Allow takes a token from key's bucket. When none is left it takes nothing and says how
// long until one is.
func (l *Limiter) Allow(key string) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, found := l.buckets[key]
	if !found {
		if len(l.buckets) >= maxKeys {
			l.forgetIdle(now)
		}
		b = &bucket{limiter: rate.NewLimiter(rate.Limit(l.perSecond), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.limiter.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Second
	}
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return false, wait
	}
	return true, 0
}

// Wait says how long until key's bucket holds a token, without taking one: zero when it
// holds one now. A limit on failures checks it before trying, and takes a token (Allow) only
// for a failure.
func (l *Limiter) Wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, found := l.buckets[key]
	if !found {
		return 0
	}
	missing := 1 - b.limiter.TokensAt(l.now())
	if missing <= 0 {
		return 0
	}
	return time.Duration(missing / l.perSecond * float64(time.Second))
}

// forgetIdle drops buckets idle long enough to have refilled: a new bucket is full too, so
// forgetting them changes no one's allowance.
func (l *Limiter) forgetIdle(now time.Time) {
	refill := time.Duration(float64(l.burst) / l.perSecond * float64(time.Second))
	for key, b := range l.buckets {
		if now.Sub(b.seen) > refill {
			delete(l.buckets, key)
		}
	}
}

// RetryAfter is wait in whole seconds for a Retry-After header, at least one.
func RetryAfter(wait time.Duration) int {
	return max(int(math.Ceil(wait.Seconds())), 1)
}
