package api

import "github.com/gin-gonic/gin"

// listEvents is what hooks deliver, newest first: Zapier's performList samples.
func (h *handlers) listEvents(c *gin.Context) {
	pg, ok := pageOf(c)
	if !ok {
		return
	}
	list, next, err := h.svc.Events(c.Request.Context(), practice(c), c.Query("type"), pg)
	respondList(c, list, next, err)
}
