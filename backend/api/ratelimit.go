package api

import (
	"math"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// rateLimiter gives each practice a token bucket. Buckets live in this process: with several
// servers a practice gets each server's allowance, which is fine for a limit that exists to
// stop a runaway Zap, not to meter usage.
type rateLimiter struct {
	perSecond float64
	mu        sync.Mutex
	buckets   map[string]*bucket
}

type bucket struct {
	limiter *rate.Limiter
	seen    time.Time
}

func newRateLimiter(perSecond float64) *rateLimiter {
	if perSecond <= 0 {
		perSecond = 20
	}
	return &rateLimiter{perSecond: perSecond, buckets: map[string]*bucket{}}
}

func (l *rateLimiter) limit(c *gin.Context) {
	r := l.reserve(practice(c).ID)
	if !r.OK() || r.Delay() > 0 {
		wait := r.Delay()
		r.Cancel()
		retryAfter(c, int(math.Ceil(wait.Seconds())))
		problem(c, eRateLimited, "Too many requests for this practice; wait for the Retry-After seconds and try again.")
		return
	}
	c.Next()
}

func (l *rateLimiter) reserve(practiceID string) *rate.Reservation {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	b, ok := l.buckets[practiceID]
	if !ok {
		if len(l.buckets) > 10000 { // forget idle practices rather than grow for ever
			for id, old := range l.buckets {
				if now.Sub(old.seen) > time.Minute {
					delete(l.buckets, id)
				}
			}
		}
		b = &bucket{limiter: rate.NewLimiter(rate.Limit(l.perSecond), int(math.Ceil(2*l.perSecond)))}
		l.buckets[practiceID] = b
	}
	b.seen = now
	return b.limiter.ReserveN(now, 1)
}
