package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// share is an advocate's link with what passing it on takes: a message, and ready-made links
// that open a text, an email or WhatsApp with the message filled in.
type share struct {
	Name    string
	Code    string
	URL     string
	QRPath  string
	Message string
	Reward  string
	// Built here from escaped parts; html/template would refuse the sms: scheme as unknown.
	SMS      template.URL
	Email    template.URL
	WhatsApp template.URL
}

func newShare(p *referral.Practice, a *referral.Advocate) *share {
	msg := shareMessage(p, a.URL)
	body := escape(msg)
	return &share{
		Name: a.Name, Code: a.Code, URL: a.URL, QRPath: "/r/" + a.Code + "/qr.svg", Message: msg,
		Reward:   rewardText(p),
		SMS:      template.URL("sms:?&body=" + body), // "?&" is how both iOS and Android read a body
		Email:    template.URL("mailto:?subject=" + escape("An invitation to "+p.Name) + "&body=" + body),
		WhatsApp: template.URL("https://wa.me/?text=" + body),
	}
}

// shareMessage is what an advocate sends a friend, link included.
func shareMessage(p *referral.Practice, link string) string {
	if offer := p.Offer.Description; offer != "" {
		return fmt.Sprintf("I think you'd love %s! Use my link to get %s: %s", p.Name, offer, link)
	}
	return fmt.Sprintf("I think you'd love %s! Use my link to book your first visit: %s", p.Name, link)
}

// rewardText is the advocate's reward as people write it, such as "$50".
func rewardText(p *referral.Practice) string { return p.Reward.Amount.Display() }

// escape encodes a query value with %20 for spaces: mail and messaging apps show a "+" as is.
func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
