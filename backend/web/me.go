package web

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// mePage is /p/{slug}/me. Signed out: the form that emails an advocate a link to it, then
// "check your inbox", whoever's email it was. Signed in: the advocate's link, rewards and
// email setting; never a friend's name or status.
type mePage struct {
	chrome
	SignIn signInForm
	Alert  string
	Sent   bool

	Advocate      *referral.Advocate
	FirstName     string
	Share         *share // nil while the advocate's link is paused
	Reward        string
	Rewards       []rewardLine
	More          bool // there are older rewards than the page lists
	EmailsStopped bool
	CSRF          string
}

// signInForm is the form that asks for a link to an advocate's page.
type signInForm struct {
	Slug    string
	Minutes int
	Form    personForm
}

func newSignInForm(p *referral.Practice, form personForm) signInForm {
	return signInForm{Slug: p.Slug, Minutes: int(referral.SignInLinkLifetime.Minutes()), Form: form}
}

func newMePage(p *referral.Practice, form personForm) mePage {
	return mePage{chrome: chrome{Title: p.Name + ": your referral page", Practice: p, NoIndex: true},
		SignIn: newSignInForm(p, form), Reward: rewardText(p)}
}

func mePath(p *referral.Practice) string { return "/p/" + p.Slug + "/me" }

func (s *site) showAdvocatePage(w http.ResponseWriter, r *http.Request) {
	p, err := s.practice(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if r.PathValue("slug") != p.Slug {
		// The session cookie's path is the slug as the practice spells it.
		http.Redirect(w, r, mePath(p), http.StatusMovedPermanently)
		return
	}
	a, token, err := s.signedIn(r, p)
	switch {
	case err != nil:
		s.failPage(w, r, err)
	case a == nil:
		pages.Render(w, http.StatusOK, "me", newMePage(p, personForm{}))
	default:
		s.showAdvocate(w, r, p, a, token)
	}
}

func (s *site) showAdvocate(w http.ResponseWriter, r *http.Request, p *referral.Practice, a *referral.Advocate, session string) {
	rewards, next, err := s.svc.Rewards(r.Context(), p, referral.RewardFilter{AdvocateID: a.ID}, referral.Page{Limit: referral.MaxPageSize})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	stopped, err := s.svc.EmailsStopped(r.Context(), p, a.Email)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	page := newMePage(p, personForm{})
	page.Advocate, page.FirstName, page.CSRF = a, firstName(a.Name), csrfToken(session)
	page.Rewards, page.More, page.EmailsStopped = rewardLines(p, rewards), next != "", stopped
	if a.Status == referral.Active {
		page.Share, page.Script = newShare(p, a), true
	}
	pages.Render(w, http.StatusOK, "me", page)
}

// requestSignIn is the signed-out page's post: an advocate's address is emailed a link to
// their page, and everyone, advocate or not, is told the same.
func (s *site) requestSignIn(w http.ResponseWriter, r *http.Request) {
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
	form.Name = ""
	page := newMePage(p, form)
	if !form.Honeypot {
		err = s.svc.RequestSignIn(r.Context(), p, referral.SignInRequest{Email: form.Email})
	} else {
		honeypot(r)
	}
	switch {
	case err == nil:
		sent := newMePage(p, personForm{})
		sent.Sent = true
		pages.Render(w, http.StatusOK, "me", sent)
	case page.SignIn.Form.refuse(err, map[string]string{"email": "email"}):
		page.Alert = fixFields
		pages.Render(w, http.StatusUnprocessableEntity, "me", page)
	default:
		s.failPage(w, r, err)
	}
}

// setEmails turns the practice's emails to the signed-in advocate off or on.
func (s *site) setEmails(w http.ResponseWriter, r *http.Request) {
	p, a, _, ok := s.signedInForm(w, r)
	if !ok {
		return
	}
	var on bool
	switch r.PostFormValue("emails") {
	case "on":
		on = true
	case "off":
	default:
		s.badForm(w)
		return
	}
	if err := s.svc.SetAdvocateEmails(r.Context(), p, a, on); err != nil {
		s.failPage(w, r, err)
		return
	}
	http.Redirect(w, r, mePath(p), http.StatusSeeOther)
}

// signOut ends the advocate's page session.
func (s *site) signOut(w http.ResponseWriter, r *http.Request) {
	p, _, session, ok := s.signedInForm(w, r)
	if !ok {
		return
	}
	if err := s.svc.SignOutAdvocate(r.Context(), session); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.endSession(w, p)
	http.Redirect(w, r, mePath(p), http.StatusSeeOther)
}

// signedInForm reads a signed-in advocate's post and its CSRF token. Without a session (it
// expired, or the advocate signed out in another tab) the advocate is sent to sign in again;
// a form without the session's token is refused. ok is false when it has answered.
func (s *site) signedInForm(w http.ResponseWriter, r *http.Request) (p *referral.Practice, a *referral.Advocate, session string, ok bool) {
	p, err := s.practice(r)
	if err != nil {
		s.failPage(w, r, err)
		return nil, nil, "", false
	}
	if err := r.ParseForm(); err != nil {
		s.badForm(w)
		return nil, nil, "", false
	}
	a, session, err = s.signedIn(r, p)
	switch {
	case err != nil:
		s.failPage(w, r, err)
	case a == nil:
		s.endSession(w, p)
		http.Redirect(w, r, mePath(p), http.StatusSeeOther)
	case !validCSRF(r, session):
		pages.Render(w, http.StatusForbidden, "message", messagePage{
			chrome:  chrome{Title: "This form has expired", Practice: p, NoIndex: true},
			Heading: "This form has expired",
			Text:    "It may be from an old page, or from another site. Go back to your page, reload it and try again.",
			Link:    mePath(p), LinkText: "Back to your page",
		})
	default:
		return p, a, session, true
	}
	return nil, nil, "", false
}
