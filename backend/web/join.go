package web

import (
	"log/slog"
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// joinPage is /p/{slug}: the join form, then "check your inbox", whoever's email it was.
type joinPage struct {
	chrome
	Reward string
	Form   personForm
	Alert  string
	Sent   bool
}

func newJoinPage(p *referral.Practice, form personForm) joinPage {
	return joinPage{chrome: chrome{Title: p.Name + ": refer a friend", Practice: p}, Reward: rewardText(p), Form: form}
}

func (s *site) showJoinPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.practice(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	pages.Render(w, http.StatusOK, "join", newJoinPage(p, personForm{}))
}

// join is the hosted form's post. Someone new is emailed a link that confirms the address and
// makes them an advocate; an advocate is emailed a link to their page. The page says the same
// to both, and to a bot, and never repeats what was typed.
func (s *site) join(w http.ResponseWriter, r *http.Request) {
	p, err := s.practice(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	form, err := readPersonForm(r)
	if err != nil {
		s.badForm(w)
		return
	}
	page := newJoinPage(p, form)
	if !form.Honeypot {
		err = s.svc.RequestJoin(r.Context(), p, referral.NewAdvocate{Name: form.Name, Email: form.Email})
	} else {
		honeypot(r)
	}
	switch {
	case err == nil:
		sent := newJoinPage(p, personForm{})
		sent.Sent, sent.NoIndex = true, true
		pages.Render(w, http.StatusOK, "join", sent)
	case page.Form.refuse(err, map[string]string{"name": "name", "email": "email"}):
		page.Alert = fixFields
		pages.Render(w, http.StatusUnprocessableEntity, "join", page)
	default:
		s.failPage(w, r, err)
	}
}

// honeypot notes a bot that filled the hidden field; it is answered as if it were a person.
func honeypot(r *http.Request) {
	slog.InfoContext(r.Context(), "honeypot filled", "path", r.URL.Path)
}
