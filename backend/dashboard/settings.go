package dashboard

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// webhookOverlap is how long a rotated webhook secret keeps working.
const webhookOverlap = 24 * time.Hour

type settingsPage struct {
	view
	P        *referral.Practice
	Policy   policyForm
	Branding brandingForm
	Region   regionForm
	NewKey   string
	Keys     []referral.APIKey
	Hooks    []referral.Hook
	Receipts []referral.WebhookReceipt
	Snippet  string
	Public   string
	// The practice's own webhook URLs, for its system to send payments and refunds to.
	PaymentsURL, RefundsURL string
	// ContactEmail is the reply-to address as typed.
	ContactEmail string
	// WidgetRefusal is the last site the widget was refused on, or nil.
	WidgetRefusal *referral.WidgetRefusal
}

type policyForm struct{ Kind, Amount, Minimum, AnnualCap, HoldDays, Offer, WelcomeCode string }

type brandingForm struct{ Color, LogoURL, BookingURL, Origins string }

func policyOf(p *referral.Practice) policyForm {
	return policyForm{Kind: p.Reward.Kind, Amount: p.Reward.Amount.String(), Minimum: p.Reward.Minimum.String(),
		AnnualCap: strconv.Itoa(p.Reward.AnnualCap), HoldDays: strconv.Itoa(p.Reward.HoldDays),
		Offer: p.Offer.Description, WelcomeCode: p.Offer.WelcomeCode}
}

func brandingOf(p *referral.Practice) brandingForm {
	return brandingForm{Color: p.BrandColor, LogoURL: p.LogoURL, BookingURL: p.BookingURL,
		Origins: strings.Join(p.AllowedOrigins, "\n")}
}

func (s *dashboard) settings(w http.ResponseWriter, r *http.Request, v *visit) {
	page := s.settingsPage(v)
	switch r.URL.Query().Get("done") {
	case "saved":
		page.Notice = "Saved."
	case "revoked":
		page.Notice = "API key revoked: it stops working at once."
	case "rotated":
		page.Notice = "Webhook secret rotated. The previous one keeps working for 24 hours."
	}
	s.renderSettings(w, r, v, http.StatusOK, page)
}

func (s *dashboard) settingsPage(v *visit) settingsPage {
	p := v.practice()
	return settingsPage{view: v.view("Settings", "settings"), P: p, Policy: policyOf(p), Branding: brandingOf(p),
		ContactEmail: p.ContactEmail}
}

func (s *dashboard) renderSettings(w http.ResponseWriter, r *http.Request, v *visit, status int, page settingsPage) {
	ctx, p := r.Context(), v.practice()
	page.Region.Currencies, page.Region.TimeZones = referral.Currencies, referral.TimeZones
	if page.Region.Currency == "" { // not a refused form's answers
		page.Region.Currency, page.Region.TimeZone = p.Currency, p.TimeZone
	}
	var err error
	if page.Region.CurrencyFixed, err = s.svc.CurrencyFixed(ctx, p); err == nil {
		page.Keys, err = s.svc.APIKeys(ctx, p)
	}
	if err == nil {
		if page.Hooks, _, err = s.svc.Hooks(ctx, p, referral.Page{}); err == nil {
			page.Receipts, _, err = s.svc.WebhookReceipts(ctx, p, referral.Page{Limit: 10})
		}
	}
	if err == nil {
		page.WidgetRefusal, err = s.svc.LastWidgetRefusal(ctx, p)
	}
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.Public = s.public
	page.Snippet = s.widgetSnippet(p)
	page.PaymentsURL = s.public + "/v1/webhooks/" + p.ID + "/payments"
	page.RefundsURL = s.public + "/v1/webhooks/" + p.ID + "/refunds"
	pages.Render(w, status, "settings", page)
}

var policyInputs = map[string][2]string{
	"kind":                      {"kind", "Reward kind"},
	"amount":                    {"amount", "Reward amount"},
	"minimum":                   {"minimum", "Minimum qualifying amount"},
	"annual_cap":                {"annual_cap", "Yearly cap per advocate"},
	"hold_days":                 {"hold_days", "Reward hold"},
	"friend_offer.description":  {"offer", "Friend offer"},
	"friend_offer.welcome_code": {"welcome_code", "Welcome code"},
}

// saveRewardPolicy changes what advocates earn and what friends are offered.
func (s *dashboard) saveRewardPolicy(w http.ResponseWriter, r *http.Request, v *visit) {
	f := policyForm{Kind: r.PostFormValue("kind"), Amount: r.PostFormValue("amount"), Minimum: r.PostFormValue("minimum"),
		AnnualCap: strings.TrimSpace(r.PostFormValue("annual_cap")), HoldDays: strings.TrimSpace(r.PostFormValue("hold_days")),
		Offer: r.PostFormValue("offer"), WelcomeCode: r.PostFormValue("welcome_code")}
	p := v.practice()
	capacity, err := strconv.Atoi(f.AnnualCap)
	if err != nil {
		err = referral.InvalidField("annual_cap", "must be a whole number")
	}
	holdDays := 0 // left empty: no hold
	if err == nil && f.HoldDays != "" {
		if holdDays, err = strconv.Atoi(f.HoldDays); err != nil {
			err = referral.InvalidField("hold_days", "must be a whole number of days")
		}
	}
	if err == nil {
		p, err = s.svc.UpdateRewardPolicy(r.Context(), p, referral.RewardPolicyChange{Kind: f.Kind,
			Amount: referral.Amount(f.Amount), Minimum: referral.Amount(f.Minimum), AnnualCap: capacity, HoldDays: holdDays})
	}
	if err == nil {
		in := settingsOf(p)
		in.FriendOffer = referral.FriendOffer{Description: f.Offer, WelcomeCode: f.WelcomeCode}
		_, err = s.svc.UpdateSettings(r.Context(), p, in)
	}
	s.saved(w, r, v, err, policyInputs, func(page *settingsPage) { page.Policy = f })
}

func settingsOf(p *referral.Practice) referral.PracticeSettings {
	return referral.PracticeSettings{BrandColor: p.BrandColor, LogoURL: p.LogoURL, BookingURL: p.BookingURL, ContactEmail: p.ContactEmail,
		AllowedOrigins: p.AllowedOrigins, FriendOffer: p.Offer}
}

var brandingInputs = map[string][2]string{
	"brand_color":     {"color", "Brand colour"},
	"logo_url":        {"logo_url", "Logo URL"},
	"booking_url":     {"booking_url", "Booking URL"},
	"allowed_origins": {"origins", "Allowed widget origins"},
}

// saveBranding changes how the patient pages look and who may embed the widget.
func (s *dashboard) saveBranding(w http.ResponseWriter, r *http.Request, v *visit) {
	f := brandingForm{Color: r.PostFormValue("color"), LogoURL: r.PostFormValue("logo_url"),
		BookingURL: r.PostFormValue("booking_url"), Origins: r.PostFormValue("origins")}
	in := settingsOf(v.practice())
	in.BrandColor, in.LogoURL, in.BookingURL = f.Color, f.LogoURL, f.BookingURL
	in.AllowedOrigins = strings.FieldsFunc(f.Origins, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ' ' })
	_, err := s.svc.UpdateSettings(r.Context(), v.practice(), in)
	var e *referral.Error
	if errors.As(err, &e) {
		for i := range e.Fields { // allowed_origins[2] is the origins box
			if strings.HasPrefix(e.Fields[i].Field, "allowed_origins") {
				e.Fields[i].Field = "allowed_origins"
			}
		}
	}
	s.saved(w, r, v, err, brandingInputs, func(page *settingsPage) { page.Branding = f })
}

// saveEmail sets where replies to the practice's emails go.
func (s *dashboard) saveEmail(w http.ResponseWriter, r *http.Request, v *visit) {
	contact := r.PostFormValue("contact_email")
	in := settingsOf(v.practice())
	in.ContactEmail = contact
	_, err := s.svc.UpdateSettings(r.Context(), v.practice(), in)
	s.saved(w, r, v, err, map[string][2]string{"contact_email": {"contact_email", "Reply-to email"}},
		func(page *settingsPage) { page.ContactEmail = contact })
}

// saved answers a settings form: back to the page, or the form again with its errors in place.
func (s *dashboard) saved(w http.ResponseWriter, r *http.Request, v *visit, err error, inputs map[string][2]string, keep func(*settingsPage)) {
	if err == nil {
		http.Redirect(w, r, "/app/settings?done=saved", http.StatusSeeOther)
		return
	}
	errs, ok := fieldErrors(err, inputs)
	if !ok {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page := s.settingsPage(v)
	keep(&page)
	page.Errors = errs
	page.Alert = "Please correct the fields marked below."
	s.renderSettings(w, r, v, http.StatusUnprocessableEntity, page)
}

// createAPIKey shows the new key once, on the page that answers the form.
func (s *dashboard) createAPIKey(w http.ResponseWriter, r *http.Request, v *visit) {
	key, _, err := s.svc.CreateAPIKey(r.Context(), v.practice())
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page := s.settingsPage(v)
	page.NewKey = key
	page.Notice = "API key created. Copy it now: it is shown only once."
	s.renderSettings(w, r, v, http.StatusOK, page)
}

func (s *dashboard) revokeAPIKey(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := s.svc.RevokeAPIKey(r.Context(), v.practice(), r.PathValue("id")); err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app/settings?done=revoked", http.StatusSeeOther)
}

func (s *dashboard) rotateWebhookSecret(w http.ResponseWriter, r *http.Request, v *visit) {
	if _, err := s.svc.RotateWebhookSecret(r.Context(), v.practice(), webhookOverlap); err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app/settings?done=rotated", http.StatusSeeOther)
}
