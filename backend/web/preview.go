package web

import "github.com/advocateloop/advocateloop/backend/referral"

// preview is what a messaging app shows for a shared link (Open Graph): the practice and its
// offer only. Never the advocate's name, nor anything about a patient: a preview travels
// further than the link's owner may think.
type preview struct {
	Practice    string
	Title       string
	Description string
	URL         string
}

// invitationPreview is the preview of an advocate's link, url.
func invitationPreview(p *referral.Practice, url string) *preview {
	description := "Claim your invitation, then book your first visit."
	if offer := p.Offer.Description; offer != "" {
		description = "Claim your welcome offer: " + offer + "."
	}
	return &preview{Practice: p.Name, Title: "You're invited to " + p.Name, Description: description, URL: url}
}
