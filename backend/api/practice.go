package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// practiceBody is GET /v1/me: the practice behind the key, its plan and reward rules.
type practiceBody struct {
	ID              string       `json:"id"`
	Name            string       `json:"name"`
	Slug            string       `json:"slug"`
	Currency        string       `json:"currency"`
	TimeZone        string       `json:"time_zone"`
	Plan            string       `json:"plan"`
	AdvocateLimit   int          `json:"advocate_limit"`
	ActiveAdvocates int          `json:"active_advocates"`
	Reward          rewardPolicy `json:"reward"`
	FriendOffer     *friendOffer `json:"friend_offer"`
	CreatedAt       time.Time    `json:"created_at"`
}

type rewardPolicy struct {
	Kind          string `json:"kind"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	AnnualCap     int    `json:"annual_cap"`
	MinimumAmount string `json:"minimum_amount"`
	HoldDays      int    `json:"hold_days"`
}

type friendOffer = referral.FriendOffer

func (h *handlers) me(c *gin.Context) {
	p := practice(c)
	n, err := h.svc.ActiveAdvocates(c.Request.Context(), p)
	body := practiceBody{ID: p.ID, Name: p.Name, Slug: p.Slug, Currency: p.Currency,
		TimeZone: p.TimeZone, Plan: "free", AdvocateLimit: referral.FreeAdvocateLimit,
		ActiveAdvocates: n, CreatedAt: p.CreatedAt,
		Reward: rewardPolicy{Kind: p.Reward.Kind, Amount: p.Reward.Amount.String(),
			Currency: p.Reward.Amount.Currency, AnnualCap: p.Reward.AnnualCap,
			MinimumAmount: p.Reward.Minimum.String(), HoldDays: p.Reward.HoldDays}}
	if p.Offer.Description != "" {
		body.FriendOffer = &p.Offer
	}
	respond(c, body, false, err)
}
