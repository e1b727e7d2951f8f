package web

import (
	"errors"
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// unsubscribePage is /p/{slug}/unsubscribe?token=…, the link at the foot of the practice's
// emails: one button that stops them, then the confirmation.
type unsubscribePage struct {
	chrome
	Token string
	Done  bool
}

func newUnsubscribePage(p *referral.Practice, token string) unsubscribePage {
	return unsubscribePage{chrome: chrome{Title: "Stop emails from " + p.Name, Practice: p, NoIndex: true, Secret: true},
		Token: token}
}

func (s *site) showUnsubscribe(w http.ResponseWriter, r *http.Request) {
	p, err := s.practice(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	token := r.URL.Query().Get("token")
	if token == "" {
		s.unsubscribeFailed(w, p)
		return
	}
	pages.Render(w, http.StatusOK, "unsubscribe", newUnsubscribePage(p, token))
}

// unsubscribe stops the emails. Mail clients post here themselves (RFC 8058 one-click: the
// token in the query, "List-Unsubscribe=One-Click" in the body, no cookie), and so does the
// page's button, with the token in the form.
func (s *site) unsubscribe(w http.ResponseWriter, r *http.Request) {
	p, err := s.practice(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if err := r.ParseMultipartForm(1 << 10); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		s.badForm(w)
		return
	}
	token := r.FormValue("token")
	switch err := s.svc.StopEmailsByLink(r.Context(), p, token); {
	case token == "" || referral.ErrorCode(err) == referral.ENotFound:
		s.unsubscribeFailed(w, p)
	case err != nil:
		s.failPage(w, r, err)
	default:
		page := newUnsubscribePage(p, "")
		page.Done = true
		pages.Render(w, http.StatusOK, "unsubscribe", page)
	}
}

func (s *site) unsubscribeFailed(w http.ResponseWriter, p *referral.Practice) {
	pages.Render(w, http.StatusNotFound, "message", messagePage{
		chrome:  chrome{Title: "This unsubscribe link doesn't work", Practice: p, NoIndex: true, Secret: true},
		Heading: "This unsubscribe link doesn't work",
		Text:    "It may be incomplete. Open it again from the email, or copy the whole link into your browser.",
	})
}
