package web

import (
	"encoding/json"
	"net/http"

	"github.com/advocateloop/advocateloop/backend/api"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// widgetJoinRequest is the widget's post; anything else in the body is dropped.
type widgetJoinRequest struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Website string `json:"website"` // the honeypot
}

// widgetAdvocate is what the widget shows a patient who joined. Never the email: anyone can
// post anyone's email here.
type widgetAdvocate struct {
	Name         string `json:"name"`
	ReferralCode string `json:"referral_code"`
	ReferralURL  string `json:"referral_url"`
	ShareMessage string `json:"share_message"`
	QRURL        string `json:"qr_url"`
}

// joinFromWidget answers POST /p/{slug}/advocates, the widget's JSON endpoint, and the CORS
// preflight before it. It speaks the API's dialect: JSON in, problems out.
func (s *site) joinFromWidget(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodOptions {
		w.Header().Set("Allow", "POST, OPTIONS")
		api.WriteProblem(w, r, api.EMethodNotAllowed, r.Method+" is not supported here; the widget posts JSON.")
		return
	}
	p, err := s.practice(r)
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	if !s.allowOrigin(w, r, p) {
		api.WriteProblem(w, r, api.EOriginNotAllowed, "This site is not one of "+p.Name+"'s allowed sites for the referral widget. The practice can add this site to its allowed sites.")
		return
	}
	if r.Method == http.MethodOptions {
		preflight(w)
		return
	}
	var in widgetJoinRequest
	if !api.Decode(w, r, &in) {
		return
	}
	if in.Website != "" {
		writeJSON(w, http.StatusCreated, s.widgetAdvocate(p, s.decoy(r, in.Name)))
		return
	}
	a, created, err := s.svc.CreateAdvocate(r.Context(), p, referral.NewAdvocate{Name: in.Name, Email: in.Email})
	switch {
	case err != nil:
		api.WriteError(w, r, err)
	case created:
		writeJSON(w, http.StatusCreated, s.widgetAdvocate(p, a))
	default:
		writeJSON(w, http.StatusOK, s.widgetAdvocate(p, a))
	}
}

func (s *site) widgetAdvocate(p *referral.Practice, a *referral.Advocate) widgetAdvocate {
	sh := newShare(p, a)
	return widgetAdvocate{Name: a.Name, ReferralCode: a.Code, ReferralURL: a.URL,
		ShareMessage: sh.Message, QRURL: s.svc.PublicURL + sh.QRPath}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
