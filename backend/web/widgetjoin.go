package web

import (
	"encoding/json"
	"net/http"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// widgetJoinRequest is the widget's post; anything else in the body is dropped.
type widgetJoinRequest struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Website string `json:"website"` // the honeypot
}

// widgetJoinAccepted is the one answer to every join from the widget: what happens next
// depends on whose email it is, and is told only to that address.
type widgetJoinAccepted struct {
	Status  string `json:"status"` // always "check_inbox"
	Message string `json:"message"`
	PageURL string `json:"page_url"` // the advocate's own page, /p/{slug}/me
}

const checkInboxMessage = "We've sent you an email. Confirm it to get your referral link. " +
	"If you're already an advocate, it holds a link to your page instead. " +
	"Didn't get it? Check your spam folder, or try again in a few minutes."

// joinFromWidget answers POST /p/{slug}/advocates, the widget's JSON endpoint, and the CORS
// preflight before it. It speaks the API's dialect: JSON in, problems out.
func (s *site) joinFromWidget(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodOptions {
		w.Header().Set("Allow", "POST, OPTIONS")
		edge.WriteProblem(w, r, edge.EMethodNotAllowed, r.Method+" is not supported here; the widget posts JSON.")
		return
	}
	p, err := s.practice(r)
	if err != nil {
		edge.WriteError(w, r, err)
		return
	}
	if !s.allowOrigin(w, r, p) {
		s.refuse(r, p)
		edge.WriteProblem(w, r, edge.EOriginNotAllowed, refusedDetail(p, r.Header.Get("Origin")))
		return
	}
	if r.Method == http.MethodOptions {
		preflight(w)
		return
	}
	var in widgetJoinRequest
	if !edge.Decode(w, r, &in) {
		return
	}
	if in.Website == "" {
		err = s.svc.RequestJoin(r.Context(), p, referral.NewAdvocate{Name: in.Name, Email: in.Email})
	} else {
		honeypot(r)
	}
	if err != nil {
		edge.WriteError(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, widgetJoinAccepted{Status: "check_inbox", Message: checkInboxMessage,
		PageURL: s.svc.PublicURL + "/p/" + p.Slug + "/me"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
