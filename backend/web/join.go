package web

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// joinPage is /p/{slug}: the join form, or the new advocate's link once they joined.
type joinPage struct {
	chrome
	Reward string
	Form   personForm
	Alert  string
	Share  *share
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
	s.render(w, http.StatusOK, "join", newJoinPage(p, personForm{}))
}

// join is the hosted form's post: a patient joins and sees their link on the same page.
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
	showLink := func(a *referral.Advocate) {
		page.Share, page.NoIndex, page.Script = newShare(p, a), true, true
		s.render(w, http.StatusOK, "join", page)
	}
	if form.Honeypot {
		showLink(s.decoy(r, form.Name))
		return
	}
	a, _, err := s.svc.CreateAdvocate(r.Context(), p, referral.NewAdvocate{Name: form.Name, Email: form.Email})
	switch {
	case err == nil:
		showLink(a)
	case page.Form.refuse(err, map[string]string{"name": "name", "email": "email"}):
		page.Alert = fixFields
		s.render(w, http.StatusUnprocessableEntity, "join", page)
	case referral.ErrorCode(err) == referral.EPlanLimit:
		page.Alert = fmt.Sprintf("%s's referral program is full right now, so we couldn't create your link. Please ask the front desk.", p.Name)
		s.render(w, http.StatusOK, "join", page)
	default:
		s.failPage(w, r, err)
	}
}

// decoy is the advocate a bot that filled the honeypot is shown: a made-up code that leads
// nowhere, and nothing stored.
func (s *site) decoy(r *http.Request, name string) *referral.Advocate {
	slog.InfoContext(r.Context(), "honeypot filled", "path", r.URL.Path)
	code := referral.NewReferralCode()
	return &referral.Advocate{Name: name, Code: code, URL: s.svc.PublicURL + "/r/" + code}
}
