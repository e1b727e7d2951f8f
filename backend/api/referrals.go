package api

import (
	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func (h *handlers) createReferral(c *gin.Context) {
	var in referral.NewReferral
	if !decode(c, &in) {
		return
	}
	r, created, err := h.svc.ClaimReferral(c.Request.Context(), practice(c), in)
	respond(c, r, created, err)
}

func (h *handlers) listReferrals(c *gin.Context) {
	pg, ok := pageOf(c)
	if !ok {
		return
	}
	f := referral.ReferralFilter{AdvocateID: c.Query("advocate_id"), FriendEmail: c.Query("friend_email"), Status: c.Query("status")}
	list, next, err := h.svc.Referrals(c.Request.Context(), practice(c), f, pg)
	respondList(c, list, next, err)
}
