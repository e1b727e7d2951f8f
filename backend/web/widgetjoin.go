package web

import (
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
	p := s.widgetPractice(w, r, widgetJoin)
	if p == nil {
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
	var err error
	if in.Website == "" {
		err = s.svc.RequestJoin(r.Context(), p, referral.NewAdvocate{Name: in.Name, Email: in.Email})
	} else {
		honeypot(r)
	}
	if err != nil {
		edge.WriteError(w, r, err)
		return
	}
	edge.WriteJSON(w, http.StatusAccepted, widgetJoinAccepted{Status: "check_inbox", Message: checkInboxMessage,
		PageURL: s.svc.PublicURL + "/p/" + p.Slug + "/me"})
}
