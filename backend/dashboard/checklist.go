package dashboard

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// The set-up checklist on the home page: what is left to get the practice live. Admins only,
// since every step is theirs; it goes away once each step is done or dismissed.

type checklist struct {
	Steps map[string]referral.ChecklistStep
	Left  int // steps neither done nor dismissed
	Total int
	// What the steps show: the widget snippet and the join page for the poster QR.
	Snippet, Slug string
	CSRF          string
}

func (s *dashboard) checklist(r *http.Request, v *visit) (*checklist, error) {
	if !v.view("", "").Admin() {
		return nil, nil
	}
	p := v.practice()
	steps, err := s.svc.Checklist(r.Context(), p, s.mailDelivered)
	if err != nil {
		return nil, err
	}
	c := &checklist{Steps: map[string]referral.ChecklistStep{}, Total: len(steps), Snippet: s.widgetSnippet(p), Slug: p.Slug,
		CSRF: csrfToken(v.token)}
	for _, step := range steps {
		c.Steps[step.Key] = step
		if !step.Done && !step.Dismissed {
			c.Left++
		}
	}
	if c.Left == 0 {
		return nil, nil
	}
	return c, nil
}

// dismissStep hides a checklist step the admin has done another way or does not need.
func (s *dashboard) dismissStep(w http.ResponseWriter, r *http.Request, v *visit) {
	if err := s.svc.DismissChecklistStep(r.Context(), v.practice(), r.PathValue("step")); err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app", http.StatusSeeOther)
}

func (s *dashboard) widgetSnippet(p *referral.Practice) string {
	return `<script src="` + s.public + `/widget.js" data-practice="` + p.Slug + `" async></script>`
}

// stepNames name the steps for screen readers, where five "Dismiss" buttons would be alike.
var stepNames = map[string]string{referral.StepAPIKey: "API key", referral.StepAestheticRecord: "Aesthetic Record",
	referral.StepWidget: "widget or poster", referral.StepEmail: "email"}
