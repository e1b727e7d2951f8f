package api

import (
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

// verifyWebhook finds the practice whose webhook secret signed the raw body, before anything
// reads it; the webhook-id then works as an Idempotency-Key, so a redelivery gets the first
// answer again.
func (h *handlers) verifyWebhook(c *gin.Context) {
	body, ok := readBody(c)
	if !ok {
		return
	}
	practices, err := h.svc.WebhookPractices(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	now := time.Now()
	why := webhook.ErrNoMatch
	for i := range practices {
		signed, err := webhook.Verify(practices[i].WebhookSecrets(now), c.Request.Header, body, now)
		if err == nil {
			c.Set(practiceKey, &practices[i])
			c.Set(webhookIDKey, signed.ID)
			c.Request.Header.Set("Idempotency-Key", "webhook:"+signed.ID)
			c.Next()
			return
		}
		if !errors.Is(err, webhook.ErrNoMatch) {
			why = err // missing headers or a bad timestamp say the same for every practice
			break
		}
	}
	problem(c, eInvalidSignature, "The webhook is not signed by any practice: "+why.Error()+
		". Sign it per Standard Webhooks with the practice's whsec_ secret from the dashboard.")
}

const webhookIDKey = "webhook_id"

// paymentWebhook is Record Conversion for a signed webhook with tolerant field names.
func (h *handlers) paymentWebhook(c *gin.Context) {
	body, _ := io.ReadAll(c.Request.Body) // already read and bounded by verifyWebhook
	ev, err := webhook.PaymentEvent(body)
	var res *referral.ConversionResult
	if err == nil {
		res, err = h.svc.RecordConversion(c.Request.Context(), practice(c), ev)
	}
	h.keepReceipt(c, referral.PaymentWebhook, err, func() string { return res.Outcome })
	respond(c, res, err == nil && res.Created(), err)
}

// refundWebhook is Reverse Conversion for a signed webhook.
func (h *handlers) refundWebhook(c *gin.Context) {
	body, _ := io.ReadAll(c.Request.Body)
	ev, err := webhook.RefundEvent(body)
	var res *referral.ReversalResult
	if err == nil {
		res, err = h.svc.ReverseConversion(c.Request.Context(), practice(c), ev)
	}
	h.keepReceipt(c, referral.RefundWebhook, err, func() string { return res.Outcome })
	respond(c, res, false, err)
}

// keepReceipt remembers when a webhook came and what came of it, for the practice's settings page.
func (h *handlers) keepReceipt(c *gin.Context, kind string, err error, outcome func() string) {
	what := referral.ErrorCode(err)
	switch {
	case err == nil:
		what = outcome()
	case what == "":
		what = eInternal
	}
	// A receipt that cannot be kept must not cost the sender its answer: log it and go on.
	if rerr := h.svc.RecordWebhookReceipt(c.Request.Context(), practice(c), c.GetString(webhookIDKey), kind, what); rerr != nil {
		slog.ErrorContext(c.Request.Context(), "webhook receipt not kept", "error", rerr.Error())
	}
}

// listWebhookReceipts shows a practice the webhooks it sent: when, which, what came of them.
func (h *handlers) listWebhookReceipts(c *gin.Context) {
	pg, ok := pageOf(c)
	if !ok {
		return
	}
	list, next, err := h.svc.WebhookReceipts(c.Request.Context(), practice(c), pg)
	respondList(c, list, next, err)
}
