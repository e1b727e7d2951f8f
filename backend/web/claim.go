package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// claimPage is /r/{code}: a friend's invitation, its claim form, then the confirmation.
type claimPage struct {
	chrome
	Code      string
	FirstName string // an advocate's first name is all a friend sees of them: never the email
	Form      personForm
	Alert     string
	Claimed   bool
}

func newClaimPage(p *referral.Practice, a *referral.Advocate, form personForm) claimPage {
	first := a.Name
	if words := strings.Fields(a.Name); len(words) > 0 {
		first = words[0]
	}
	return claimPage{chrome: chrome{Title: first + " invited you to " + p.Name, Practice: p, NoIndex: true},
		Code: a.Code, FirstName: first, Form: form}
}

func (s *site) showInvitation(w http.ResponseWriter, r *http.Request) {
	p, a, err := s.invitation(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "claim", newClaimPage(p, a, personForm{}))
}

// claim is a friend's claim through the advocate's link (source "link").
func (s *site) claim(w http.ResponseWriter, r *http.Request) {
	p, a, err := s.invitation(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	form, err := readPersonForm(r)
	if err != nil {
		s.badForm(w)
		return
	}
	page := newClaimPage(p, a, form)
	if form.Honeypot {
		page.Claimed = true
		s.render(w, http.StatusOK, "claim", page)
		return
	}
	_, _, err = s.svc.ClaimReferral(r.Context(), p, referral.NewReferral{ReferralCode: a.Code,
		FriendName: form.Name, FriendEmail: form.Email, Source: referral.SourceLink})
	refusal, refused := claimRefusals[referral.ErrorCode(err)]
	switch {
	case err == nil:
		page.Claimed = true
		s.render(w, http.StatusOK, "claim", page)
	case page.Form.refuse(err, map[string]string{"name": "friend_name", "email": "friend_email"}):
		page.Alert = fixFields
		s.render(w, http.StatusUnprocessableEntity, "claim", page)
	case refused:
		// Who the friend is, not what they typed, stops the claim: a friendly page, not an error.
		page.Alert = fmt.Sprintf(refusal, p.Name)
		s.render(w, http.StatusOK, "claim", page)
	default:
		s.failPage(w, r, err)
	}
}

// claimRefusals say why a claim cannot count, in the friend's words; %s is the practice.
var claimRefusals = map[string]string{
	referral.ESelfReferral:     "You can't refer yourself: this link is for your friends. Share it with them, and you earn a reward when they visit %s.",
	referral.EAlreadyReferred:  "This email was already invited by someone else, and the first invitation counts. You can still book with %s directly.",
	referral.EExistingPatient:  "You're already a patient of %s, so this welcome offer is for new patients. Thank you for coming back!",
	referral.EAdvocateDisabled: "This invitation is no longer active. You can still book with %s directly.",
}
