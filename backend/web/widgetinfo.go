package web

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/brand"
	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// widgetInfo is what the widget shows before anyone joins: the practice's colours and what an
// advocate earns and a friend gets. All of it is on the practice's public join page too.
type widgetInfo struct {
	Practice     string `json:"practice"`
	BrandColor   string `json:"brand_color"`    // buttons, with OnBrandColor text
	OnBrandColor string `json:"on_brand_color"` //
	InkColor     string `json:"ink_color"`      // links and headings on the widget's white
	Reward       string `json:"reward"`         // "$50", as people write it
	FriendOffer  string `json:"friend_offer"`   // empty when there is none
	Pitch        string `json:"pitch"`          // the sentence the widget shows above its button
}

// widgetBackground is the widget's card, on which its colours must read.
const widgetBackground = "#ffffff"

// showWidget answers GET /p/{slug}/widget, which the widget fetches when it loads. A site the
// practice has not allowed is refused with a problem it can read (the answer allows its
// origin), so the widget can tell the site's owner which origin to add; the refusal is kept
// for staff to see in Settings.
func (s *site) showWidget(w http.ResponseWriter, r *http.Request) {
	p := s.widgetPractice(w, r, widgetRead)
	if p == nil {
		return
	}
	c := brand.Of(p.BrandColor, widgetBackground)
	reward := p.Reward.Amount.Display()
	w.Header().Set("Cache-Control", "public, max-age=300") // a new colour or offer shows within minutes
	edge.WriteJSON(w, http.StatusOK, widgetInfo{Practice: p.Name, BrandColor: c.Color, OnBrandColor: c.OnColor,
		InkColor: c.Ink, Reward: reward, FriendOffer: p.Offer.Description, Pitch: pitch(p, reward)})
}

// pitch is the widget's sentence, the join page's in the advocate's voice.
func pitch(p *referral.Practice, reward string) string {
	friend := ""
	if offer := p.Offer.Description; offer != "" {
		friend = ": they get " + offer + ","
	}
	return "Refer a friend to " + p.Name + friend + " and you earn " + reward + " in service credit after their first paid visit."
}
