package api

import (
	"io"
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

// verifyWebhook checks that the practice the URL names signed the raw body, before anything
// reads it: one lookup and one HMAC per secret, however many practices there are. An id that
// names no practice is answered exactly like a wrong signature, so the URL tells a stranger
// nothing. The webhook-id then works as an Idempotency-Key, so a redelivery gets the first
// answer again.
func (h *handlers) verifyWebhook(c *gin.Context) {
	body, ok := readBody(c)
	if !ok {
		return
	}
	p, err := h.svc.WebhookPractice(c.Request.Context(), c.Param("practice_id"))
	if err != nil {
		edge.Fail(c, err)
		return
	}
	now := h.svc.Now()
	var secrets []string
	if p != nil {
		secrets = p.WebhookSecrets(now)
	}
	signed, err := webhook.Verify(secrets, c.Request.Header, body, now)
	if err != nil {
		edge.Refuse(c, edge.EInvalidSignature, "The webhook is not signed for this address: "+err.Error()+
			". Sign it per Standard Webhooks with the practice's whsec_ secret and send it to the practice's own URL; both are in the dashboard under Settings.")
		return
	}
	c.Set(edge.PracticeKey, p)
	c.Set(webhookIDKey, signed.ID)
	c.Request.Header.Set("Idempotency-Key", "webhook:"+signed.ID)
	c.Next()
}

// webhookMoved answers the first webhook addresses, which named no practice, with where the
// sender's webhooks go now.
func webhookMoved(c *gin.Context) {
	edge.Refuse(c, referral.ENotFound, "Webhooks now go to the practice's own URL: POST /v1/webhooks/{practice_id}/payments "+
		"and /v1/webhooks/{practice_id}/refunds. Copy them from the dashboard under Settings → Webhook secret.")
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
		what = edge.EInternal
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
