package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// listEvents is what hooks deliver, newest first: Zapier's performList samples.
func (h *handlers) listEvents(c *gin.Context) {
	pg, ok := pageOf(c)
	if !ok {
		return
	}
	list, next, err := h.svc.Events(c.Request.Context(), practice(c), c.Query("type"), pg)
	respondList(c, list, next, err)
}

// subscribe is Zapier's REST hook subscribe.
func (h *handlers) subscribe(c *gin.Context) {
	var in referral.NewHook
	if !decode(c, &in) {
		return
	}
	hook, err := h.svc.Subscribe(c.Request.Context(), practice(c), in)
	respond(c, hook, true, err)
}

func (h *handlers) unsubscribe(c *gin.Context) {
	if err := h.svc.Unsubscribe(c.Request.Context(), practice(c), c.Param("id")); err != nil {
		edge.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (h *handlers) listHooks(c *gin.Context) {
	pg, ok := pageOf(c)
	if !ok {
		return
	}
	list, next, err := h.svc.Hooks(c.Request.Context(), practice(c), pg)
	respondList(c, list, next, err)
}
