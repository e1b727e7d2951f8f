package dashboard

import (
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Settings → currency and time zone.

type regionForm struct {
	Currency, TimeZone    string
	CurrencyFixed         bool // a reward exists: the currency stays
	Currencies, TimeZones []string
}

var regionInputs = map[string][2]string{
	"currency":  {"currency", "Currency"},
	"time_zone": {"time_zone", "Time zone"},
}

// saveRegion changes the time zone, and the currency while no reward exists.
func (s *dashboard) saveRegion(w http.ResponseWriter, r *http.Request, v *visit) {
	p := v.practice()
	in := referral.PracticeRegion{Currency: strings.TrimSpace(r.PostFormValue("currency")), TimeZone: r.PostFormValue("time_zone")}
	if in.Currency == "" { // a fixed currency is shown, not posted
		in.Currency = p.Currency
	}
	_, err := s.svc.UpdateRegion(r.Context(), p, in)
	s.saved(w, r, v, err, regionInputs, func(page *settingsPage) {
		page.Region.Currency, page.Region.TimeZone = in.Currency, in.TimeZone
	})
}
