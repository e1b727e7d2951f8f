package dashboard

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/advocateloop/advocateloop/backend/mail"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// The mailbox: every email the practice sends advocates and friends, with what became of it.
// Without a mail server it is where the messages wait, like a local mail catcher: staff open
// them, see both parts and follow their links.

type mailboxPage struct {
	view
	Status   string
	Messages []referral.Message
	Older    string
}

var mailStatuses = []string{referral.MessageQueued, referral.MessageHeld, referral.MessageSent,
	referral.MessageFailed, referral.MessageCancelled}

func (s *dashboard) mailbox(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	page := mailboxPage{view: v.view("Mailbox", "mail"), Status: q.Get("status")}
	if !slices.Contains(mailStatuses, page.Status) {
		page.Status = ""
	}
	list, next, err := s.svc.Messages(r.Context(), v.practice(), referral.MessageFilter{Status: page.Status},
		referral.Page{Cursor: q.Get("cursor")})
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	page.Messages, page.Older = list, next
	pages.Render(w, http.StatusOK, "mailbox", page)
}

type messagePageData struct {
	view
	M        *referral.Message
	Composed mail.Composed
	Links    []string
	CanSend  bool
}

// showMessage shows one message as it was (or will be) sent: headers, the plain part and the HTML
// part, and its links to follow.
func (s *dashboard) showMessage(w http.ResponseWriter, r *http.Request, v *visit) {
	m, c, ok := s.composed(w, r, v)
	if !ok {
		return
	}
	page := messagePageData{view: v.view(kindLabel(m.Kind), "mail"), M: m, Composed: c, Links: letterLinks(m.Letter),
		CanSend: m.Status == referral.MessageFailed && referral.Unsubscribable(m.Kind) && !m.BodyDeleted}
	if r.URL.Query().Get("done") == "queued" {
		page.Notice = "Queued again: it goes out within a minute."
	}
	pages.Render(w, http.StatusOK, "mail-message", page)
}

// messageHTML is a message's HTML part on its own, for the frame on the message page. It may
// hold anything a practice typed, so it runs no script and loads nothing but images.
func (s *dashboard) messageHTML(w http.ResponseWriter, r *http.Request, v *visit) {
	_, c, ok := s.composed(w, r, v)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; "+
		"base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox")
	h.Set("X-Frame-Options", "SAMEORIGIN") // the message page frames it; browsers without CSP too
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.Write([]byte(c.HTML))
}

func (s *dashboard) composed(w http.ResponseWriter, r *http.Request, v *visit) (*referral.Message, mail.Composed, bool) {
	m, err := s.svc.Message(r.Context(), v.practice(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return nil, mail.Composed{}, false
	}
	c, err := mail.Compose(v.practice(), m)
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return nil, mail.Composed{}, false
	}
	return m, c, true
}

func (s *dashboard) sendAgain(w http.ResponseWriter, r *http.Request, v *visit) {
	m, err := s.svc.SendAgain(r.Context(), v.practice(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, v.view("", ""), err)
		return
	}
	http.Redirect(w, r, "/app/mail/"+url.PathEscape(m.ID)+"?done=queued", http.StatusSeeOther)
}

// letterLinks are the links a message carries, in the order it shows them.
func letterLinks(l referral.Letter) []string {
	var out []string
	for _, link := range []string{l.SignInURL, l.ReferralURL, l.PageURL, l.BookingURL, l.UnsubscribeURL} {
		if link != "" && !slices.Contains(out, link) {
			out = append(out, link)
		}
	}
	return out
}

// kindLabel names a message kind for staff.
func kindLabel(kind string) string {
	switch kind {
	case referral.AdvocateWelcome:
		return "Advocate welcome"
	case referral.RewardEarned:
		return "Reward earned"
	case referral.RewardVoided:
		return "Reward voided"
	case referral.FriendWelcome:
		return "Friend welcome"
	case referral.ClaimNotAdded:
		return "Claim not added"
	case referral.SignInEmail:
		return "Sign-in link"
	case referral.JoinEmail:
		return "Join confirmation"
	case referral.StaffInvite:
		return "Staff invitation"
	case referral.PasswordReset:
		return "Password reset"
	}
	return kind
}

// mailStatusLabel says what became of a message, for staff.
func mailStatusLabel(status string) string {
	switch status {
	case referral.MessageQueued:
		return "Queued"
	case referral.MessageSending:
		return "Sending"
	case referral.MessageHeld:
		return "In the mailbox, not delivered"
	case referral.MessageSent:
		return "Sent"
	case referral.MessageFailed:
		return "Failed"
	case referral.MessageCancelled:
		return "Not sent"
	}
	return status
}
