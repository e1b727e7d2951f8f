package dashboard

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// A step between a click and what cannot be undone (revoking a key, rotating the webhook
// secret): a page of its own, so it works without script too.

type confirmPage struct {
	view
	Heading, Text, Action, Button string
}

func (s *dashboard) confirm(w http.ResponseWriter, v *visit, page confirmPage) {
	page.view = v.view(page.Heading, "settings")
	pages.Render(w, http.StatusOK, "confirm", page)
}

func (s *dashboard) confirmRevokeAPIKey(w http.ResponseWriter, r *http.Request, v *visit) {
	keys, err := s.svc.APIKeys(r.Context(), v.practice())
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	for _, k := range keys {
		if k.ID == r.PathValue("id") && k.RevokedAt == nil {
			s.confirm(w, v, confirmPage{Heading: "Revoke API key " + k.Prefix + "…?",
				Text:   "Every Zap and system using this key stops working at once: payments they send are refused until they get a new key. This cannot be undone.",
				Action: "/app/settings/api-keys/" + k.ID + "/revoke", Button: "Revoke API key"})
			return
		}
	}
	s.fail(w, r, v.view("", ""), referral.NotFound("API key"))
}

func (s *dashboard) confirmRotateWebhookSecret(w http.ResponseWriter, r *http.Request, v *visit) {
	s.confirm(w, v, confirmPage{Heading: "Rotate the webhook secret?",
		Text:   "Your system must sign with the new secret: the current one keeps working for 24 hours, then payments and refunds it signs are refused.",
		Action: "/app/settings/webhook-secret", Button: "Rotate webhook secret"})
}
