package web

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// linkPage is /p/{slug}/sign-in?token=…, where a one-time link from an email lands: one button
// that uses it. Opening the link spends nothing, since mail scanners open links too; only the
// button's post does.
type linkPage struct {
	chrome
	Token   string
	Joining bool // the link confirms someone joining, rather than signing an advocate in
	Spent   bool // the link was used, expired or is incomplete: ask for another
	SignIn  signInForm
}

func (s *site) showSignInLink(w http.ResponseWriter, r *http.Request) {
	p, err := s.practice(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	token := r.URL.Query().Get("token")
	l, err := s.svc.PeekSignInLink(r.Context(), p, token)
	if err != nil {
		s.linkFailed(w, r, p, err)
		return
	}
	pages.Render(w, http.StatusOK, "signin", linkPage{
		chrome: chrome{Title: p.Name + ": your referral page", Practice: p, NoIndex: true, Secret: true},
		Token:  token, Joining: l.Joining(),
	})
}

// useSignInLink spends the link (making someone joining an advocate) and signs its holder in.
func (s *site) useSignInLink(w http.ResponseWriter, r *http.Request) {
	p, err := s.practice(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.badForm(w)
		return
	}
	session, err := s.svc.UseSignInLink(r.Context(), p, r.PostForm.Get("token"))
	if err != nil {
		s.linkFailed(w, r, p, err)
		return
	}
	s.startSession(w, p, session)
	http.Redirect(w, r, mePath(p), http.StatusSeeOther)
}

// linkFailed answers a link that cannot be used: spent or expired, or a full program.
func (s *site) linkFailed(w http.ResponseWriter, r *http.Request, p *referral.Practice, err error) {
	switch referral.ErrorCode(err) {
	case referral.ENotFound:
		// Tapped twice, or opened again from the email: whoever is signed in has their page.
		if a, _, err := s.signedIn(r, p); err == nil && a != nil {
			http.Redirect(w, r, mePath(p), http.StatusSeeOther)
			return
		}
		pages.Render(w, http.StatusNotFound, "signin", linkPage{
			chrome: chrome{Title: p.Name + ": this link has expired", Practice: p, NoIndex: true, Secret: true},
			Spent:  true, SignIn: newSignInForm(p, personForm{}),
		})
	case referral.EPlanLimit:
		// The link stays unspent: it works once the practice makes room, until it expires.
		pages.Render(w, http.StatusPaymentRequired, "message", messagePage{
			chrome:  chrome{Title: p.Name + ": the referral program is full", Practice: p, NoIndex: true, Secret: true},
			Heading: "The referral program is full right now",
			Text: p.Name + "'s referral program is full right now, so we couldn't create your referral link. " +
				"Please ask the front desk. Your email's link keeps working for a day, so you can try it again later.",
		})
	default:
		s.failPage(w, r, err)
	}
}
