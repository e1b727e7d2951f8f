package api

import (
	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func (h *handlers) createAdvocate(c *gin.Context) {
	var in referral.NewAdvocate
	if !decode(c, &in) {
		return
	}
	a, created, err := h.svc.CreateAdvocate(c.Request.Context(), practice(c), in)
	respond(c, a, created, err)
}

func (h *handlers) listAdvocates(c *gin.Context) {
	pg, ok := pageOf(c)
	if !ok {
		return
	}
	f := referral.AdvocateFilter{Email: c.Query("email"), Code: c.Query("code"), Status: c.Query("status")}
	list, next, err := h.svc.Advocates(c.Request.Context(), practice(c), f, pg)
	respondList(c, list, next, err)
}

func (h *handlers) getAdvocate(c *gin.Context) {
	a, err := h.svc.Advocate(c.Request.Context(), practice(c), c.Param("id"))
	respond(c, a, false, err)
}

func (h *handlers) updateAdvocate(c *gin.Context) {
	var in referral.AdvocateChange
	if !decode(c, &in) {
		return
	}
	a, err := h.svc.UpdateAdvocate(c.Request.Context(), practice(c), c.Param("id"), in)
	respond(c, a, false, err)
}
