package web

import (
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// firstName is how pages call an advocate: the first word of their name.
func firstName(name string) string {
	if words := strings.Fields(name); len(words) > 0 {
		return words[0]
	}
	return name
}

// claimPage is /r/{code}: a friend's invitation, its claim form, then "check your inbox".
type claimPage struct {
	chrome
	Code      string
	FirstName string // an advocate's first name is all a friend sees of them: never the email
	Form      personForm
	Alert     string
	Claimed   bool
}

func newClaimPage(p *referral.Practice, a *referral.Advocate, form personForm) claimPage {
	first := firstName(a.Name)
	return claimPage{chrome: chrome{Title: first + " invited you to " + p.Name, Practice: p, NoIndex: true},
		Code: a.Code, FirstName: first, Form: form}
}

func (s *site) showInvitation(w http.ResponseWriter, r *http.Request) {
	p, a, err := s.invitation(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	page := newClaimPage(p, a, personForm{})
	page.Preview = invitationPreview(p, s.svc.PublicURL+"/r/"+a.Code)
	pages.Render(w, http.StatusOK, "claim", page)
}

// claim is a friend's claim through the advocate's link. Whether it counted, and why not, goes
// only to the friend's address: the page thanks everyone alike, the advocate included, and
// shows the offer and booking link but never the welcome code.
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
	if !form.Honeypot {
		err = s.svc.ClaimInvitation(r.Context(), p, a, form.Name, form.Email)
	} else {
		honeypot(r)
	}
	switch {
	case err == nil:
		done := newClaimPage(p, a, personForm{})
		done.Claimed = true
		pages.Render(w, http.StatusOK, "claim", done)
	case page.Form.refuse(err, map[string]string{"name": "friend_name", "email": "friend_email"}):
		page.Alert = fixFields
		pages.Render(w, http.StatusUnprocessableEntity, "claim", page)
	case referral.ErrorCode(err) == referral.EAdvocateDisabled:
		// The link was paused while the friend had it open: that depends on the link alone.
		pages.Render(w, http.StatusNotFound, "message", messagePage{
			chrome:  chrome{Title: "This invitation is no longer active", Practice: p, NoIndex: true},
			Heading: "This invitation is no longer active",
			Text:    "You can still book with " + p.Name + " directly.",
			Link:    p.BookingURL, LinkText: "Book with " + p.Name,
		})
	default:
		s.failPage(w, r, err)
	}
}
