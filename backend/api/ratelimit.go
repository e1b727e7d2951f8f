package api

import (
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/ratelimit"
)

// limitPractice gives each practice its own allowance, so a runaway Zap slows only its practice.
func limitPractice(l *ratelimit.Limiter) gin.HandlerFunc {
	return func(c *gin.Context) {
		if ok, wait := l.Allow(practice(c).ID); !ok {
			edge.SetRetryAfter(c.Writer, ratelimit.RetryAfter(wait))
			edge.Refuse(c, edge.ERateLimited, "Too many requests for this practice; wait for the Retry-After seconds and try again.")
			return
		}
		c.Next()
	}
}

// A practice's own system sends one webhook per payment or refund: a busy med spa sends a few
// hundred a day, and even a backlog replayed after an outage comes in at the sender's pace.
// Fifty at once and ten a second after that is far beyond it, while a stranger guessing
// practice ids or flooding forged signatures gets ten tries a second, each turned away before
// any lookup or HMAC. A vendor relaying for many practices from one address shares the ten.
const (
	webhooksPerSecond = 10
	webhookBurst      = 50
)

// limitSenders gives each client address its own allowance of webhooks, checked before the
// request costs anything else.
func limitSenders(proxies []netip.Prefix, now func() time.Time) gin.HandlerFunc {
	l := ratelimit.New(webhooksPerSecond, webhookBurst, now)
	return func(c *gin.Context) {
		if ok, wait := l.Allow(edge.ClientKey(c.Request, proxies)); !ok {
			edge.SetRetryAfter(c.Writer, ratelimit.RetryAfter(wait))
			edge.Refuse(c, edge.ERateLimited, "Too many webhooks from this address; wait for the Retry-After seconds and try again.")
			return
		}
		c.Next()
	}
}
