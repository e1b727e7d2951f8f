package api

import (
	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/ratelimit"
)

// limitPractice gives each practice its own allowance, so a runaway Zap slows only its practice.
func limitPractice(l *ratelimit.Limiter) gin.HandlerFunc {
	return func(c *gin.Context) {
		if ok, wait := l.Allow(practice(c).ID); !ok {
			SetRetryAfter(c.Writer, ratelimit.RetryAfter(wait))
			problem(c, ERateLimited, "Too many requests for this practice; wait for the Retry-After seconds and try again.")
			return
		}
		c.Next()
	}
}
