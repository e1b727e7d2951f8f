package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// recordConversion is Zapier's Record Conversion: 201 when a conversion was recorded, 200 for
// every other outcome (no match, replay, not paid…), which are successes for a Zap.
func (h *handlers) recordConversion(c *gin.Context) {
	var in referral.PaymentEvent
	if !decode(c, &in) {
		return
	}
	res, err := h.svc.RecordConversion(c.Request.Context(), practice(c), in)
	respond(c, res, err == nil && res.Created(), err)
}

func (h *handlers) reverseConversion(c *gin.Context) {
	var in referral.RefundEvent
	if !decode(c, &in) {
		return
	}
	res, err := h.svc.ReverseConversion(c.Request.Context(), practice(c), in)
	respond(c, res, false, err)
}

func (h *handlers) convertManually(c *gin.Context) {
	var in referral.ManualConversion
	if !decode(c, &in) {
		return
	}
	res, err := h.svc.ConvertManually(c.Request.Context(), practice(c), in)
	respond(c, res, true, err)
}

func (h *handlers) listConversions(c *gin.Context) {
	pg, ok := pageOf(c)
	if !ok {
		return
	}
	f := referral.ConversionFilter{Status: c.Query("status"), AdvocateID: c.Query("advocate_id"), InvoiceID: c.Query("invoice_id")}
	list, next, err := h.svc.Conversions(c.Request.Context(), practice(c), f, pg)
	respondList(c, list, next, err)
}

func (h *handlers) listNearMisses(c *gin.Context) {
	pg, ok := pageOf(c)
	if !ok {
		return
	}
	list, next, err := h.svc.NearMisses(c.Request.Context(), practice(c), pg)
	respondList(c, list, next, err)
}

func (h *handlers) confirmNearMiss(c *gin.Context) {
	res, err := h.svc.ConfirmNearMiss(c.Request.Context(), practice(c), c.Param("id"))
	respond(c, res, true, err)
}

func (h *handlers) dismissNearMiss(c *gin.Context) {
	if err := h.svc.DismissNearMiss(c.Request.Context(), practice(c), c.Param("id")); err != nil {
		edge.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
