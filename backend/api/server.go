// Package api serves AdvocateLoop's REST API v1 with gin: authentication, idempotency, rate
// limits and RFC 9457 problems around the referral rules of package referral.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/ratelimit"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Database is what the HTTP layer needs of storage beyond the referral rules.
type Database interface {
	// Ready says whether the database answers and takes a write.
	Ready(ctx context.Context, now time.Time) error
	Idempotency
}

// Deps are what the API is built from.
type Deps struct {
	Service   *referral.Service
	DB        Database
	RateLimit float64      // requests per second per practice, in bursts of twice that
	Docs      http.Handler // serves /docs, /openapi.yaml and /problems/{slug}
	Web       http.Handler // serves /widget.js, /favicon.svg, /robots.txt and the patient pages under /p/ and /r/
	Dashboard http.Handler // serves /setup, /login (and /login/forgot), /logout and the staff dashboard under /app
	// FailedKeyLimit is how many wrong API keys a client address may send a minute before it
	// is answered 429; zero means DefaultFailedKeyLimit.
	FailedKeyLimit int
	// TrustedProxies are the load balancers whose X-Forwarded-For names the real client.
	TrustedProxies []netip.Prefix
	// RequestTimeout is every request's deadline; zero means config.DefaultRequestTimeout.
	RequestTimeout time.Duration
	// Share is how many requests of one surface (the API, the pages) may be at the database at
	// once, so one surface cannot take every connection; zero means no limit.
	Share int
}

// Handler returns the whole HTTP API.
func Handler(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(secureHeaders(d.Service.PublicURL)) // first, so every answer carries the baseline
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.ContextWithFallback = true
	if d.RequestTimeout <= 0 {
		d.RequestTimeout = config.DefaultRequestTimeout
	}
	r.Use(logRequests, recoverPanics, deadline(d.RequestTimeout), readBodyFirst)
	r.NoRoute(func(c *gin.Context) {
		if d.Web != nil && (c.Request.URL.Path == "/p" || c.Request.URL.Path == "/r") {
			gin.WrapH(d.Web)(c) // a patient's truncated link gets the friendly 404 page
			return
		}
		problem(c, referral.ENotFound, "There is nothing at this address.")
	})
	r.NoMethod(func(c *gin.Context) {
		problem(c, eMethodNotAllowed, c.Request.Method+" is not supported here; see /docs for what is.")
	})

	h := &handlers{svc: d.Service, keys: newKeyGuard(d.FailedKeyLimit, d.TrustedProxies)}
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := d.DB.Ready(ctx, time.Now()); err != nil {
			slog.WarnContext(ctx, "not ready", "error", err.Error())
			problem(c, eNotReady, "The database is not reachable or takes no writes (read-only, or its disk is full).")
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	})
	if d.Docs != nil {
		for _, path := range []string{"/docs", "/openapi.yaml", "/problems/:slug"} {
			r.GET(path, gin.WrapH(d.Docs))
		}
	}

	pageShare, apiShare := share(d.Share), share(d.Share)
	if d.Web != nil {
		// Every method goes to the web handler, which answers the ones it lacks itself.
		for _, path := range []string{"/widget.js", "/favicon.svg", "/robots.txt", "/p/*page", "/r/*page"} {
			r.Any(path, pageShare, gin.WrapH(d.Web))
		}
	}

	if d.Dashboard != nil {
		for _, path := range []string{"/app", "/app/*page", "/login", "/login/forgot", "/logout", "/setup", "/setup/*token"} {
			r.Any(path, pageShare, gin.WrapH(d.Dashboard))
		}
	}

	perPractice := limitPractice(ratelimit.New(d.RateLimit, 0))
	// Webhooks from practices without Zapier name their practice in the URL and prove it by
	// signature, not by key; each sender's address is limited before anything is looked up.
	webhooks := r.Group("/v1/webhooks", limitSenders(d.TrustedProxies), apiShare, h.verifyWebhook, perPractice, idempotent(d.DB))
	webhooks.POST("/:practice_id/payments", h.paymentWebhook)
	webhooks.POST("/:practice_id/refunds", h.refundWebhook)
	r.Any("/v1/webhooks/payments", webhookMoved)
	r.Any("/v1/webhooks/refunds", webhookMoved)

	v1 := r.Group("/v1", apiShare, h.authenticate, perPractice, plainPath, idempotent(d.DB))
	v1.GET("/me", h.me)
	v1.POST("/advocates", h.createAdvocate)
	v1.GET("/advocates", h.listAdvocates)
	v1.GET("/advocates/:id", h.getAdvocate)
	v1.PATCH("/advocates/:id", h.updateAdvocate)
	v1.POST("/referrals", h.createReferral)
	v1.GET("/referrals", h.listReferrals)
	v1.POST("/conversions", h.recordConversion)
	v1.POST("/conversions/reverse", h.reverseConversion)
	v1.POST("/conversions/manual", h.convertManually)
	v1.GET("/conversions", h.listConversions)
	v1.GET("/rewards", h.listRewards)
	v1.POST("/rewards/:code/redeem", h.redeemReward)
	v1.GET("/near-misses", h.listNearMisses)
	v1.POST("/near-misses/:id/confirm", h.confirmNearMiss)
	v1.POST("/near-misses/:id/dismiss", h.dismissNearMiss)
	v1.GET("/events", h.listEvents)
	v1.GET("/webhook-receipts", h.listWebhookReceipts)
	v1.POST("/hooks", h.subscribe)
	v1.GET("/hooks", h.listHooks)
	v1.DELETE("/hooks/:id", h.unsubscribe)
	return compress(r)
}

// handlers answer the /v1 routes: decode → domain operation → respond.
type handlers struct {
	svc  *referral.Service
	keys *keyGuard
}
