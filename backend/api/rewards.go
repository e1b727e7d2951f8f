package api

import (
	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func (h *handlers) listRewards(c *gin.Context) {
	pg, ok := pageOf(c)
	if !ok {
		return
	}
	f := referral.RewardFilter{AdvocateID: c.Query("advocate_id"), Status: c.Query("status"), Code: c.Query("code")}
	list, next, err := h.svc.Rewards(c.Request.Context(), practice(c), f, pg)
	respondList(c, list, next, err)
}

func (h *handlers) redeemReward(c *gin.Context) {
	r, err := h.svc.RedeemReward(c.Request.Context(), practice(c), c.Param("code"))
	respond(c, r, false, err)
}
