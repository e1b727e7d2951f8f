// Package api serves AdvocateLoop's REST API v1 with gin: authentication, idempotency and rate
// limits around the referral rules of package referral. Its problems, decoding and headers
// come from package edge, like every other surface's.
package api

import (
	"net/netip"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/ratelimit"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Deps are what the API is built from.
type Deps struct {
	Service     *referral.Service
	Idempotency Idempotency
	RateLimit   float64 // requests per second per practice, in bursts of twice that
	// FailedKeyLimit is how many wrong API keys a client address may send a minute before it
	// is answered 429; zero means DefaultFailedKeyLimit.
	FailedKeyLimit int
	// TrustedProxies are the load balancers whose X-Forwarded-For names the real client.
	TrustedProxies []netip.Prefix
	// Share lets the API's requests at the database a turn at a time; see edge.Share.
	Share gin.HandlerFunc
}

// Mount adds the /v1 routes to r.
func Mount(r gin.IRouter, d Deps) {
	if d.Share == nil {
		d.Share = edge.Share(0)
	}
	h := &handlers{svc: d.Service, keys: newKeyGuard(d.FailedKeyLimit, d.TrustedProxies, d.Service.Now)}
	perPractice := limitPractice(ratelimit.New(d.RateLimit, 0, d.Service.Now))
	// Webhooks from practices without Zapier name their practice in the URL and prove it by
	// signature, not by key; each sender's address is limited before anything is looked up.
	webhooks := r.Group("/v1/webhooks", limitSenders(d.TrustedProxies, d.Service.Now), d.Share, h.verifyWebhook, perPractice, idempotent(d.Idempotency, d.Service.Now))
	webhooks.POST("/:practice_id/payments", h.paymentWebhook)
	webhooks.POST("/:practice_id/refunds", h.refundWebhook)
	r.Any("/v1/webhooks/payments", webhookMoved)
	r.Any("/v1/webhooks/refunds", webhookMoved)

	v1 := r.Group("/v1", d.Share, h.authenticate, perPractice, plainPath, idempotent(d.Idempotency, d.Service.Now))
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
}

// handlers answer the /v1 routes: decode → domain operation → respond.
type handlers struct {
	svc  *referral.Service
	keys *keyGuard
}
