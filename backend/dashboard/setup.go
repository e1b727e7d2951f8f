package dashboard

import (
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// First run: /setup creates the first practice and its admin, only while there is none, and
// only with the one-time token that `serve` printed (see referral.NewFirstRunToken), so a
// stranger who reaches the server first cannot claim it.

type setupPage struct {
	view
	Token                           string
	Name, Email, Currency, TimeZone string
	RewardKind, RewardAmount        string
	Offer, BookingURL               string
	Currencies, TimeZones           []string
}

var setupInputs = map[string][2]string{
	"name":                     {"name", "Practice name"},
	"admin_email":              {"email", "Your email"},
	"password":                 {"password", "Password"},
	"confirm_password":         {"confirm", "Confirm password"},
	"currency":                 {"currency", "Currency"},
	"time_zone":                {"time_zone", "Time zone"},
	"reward_kind":              {"reward_kind", "Reward kind"},
	"reward_amount":            {"reward_amount", "Reward amount"},
	"friend_offer.description": {"offer", "Friend offer"},
	"booking_url":              {"booking_url", "Booking link"},
}

// noPracticeYet answers false, having answered 404, once the installation has a practice:
// /setup is gone, for everyone.
func (s *dashboard) noPracticeYet(w http.ResponseWriter, r *http.Request) bool {
	n, err := s.svc.PracticeCount(r.Context())
	if err != nil {
		s.fail(w, r, view{}, err)
		return false
	}
	if n > 0 {
		s.notFound(w, r)
		return false
	}
	return true
}

// firstRunToken answers false, having answered the request, unless token may still create
// the first practice.
func (s *dashboard) firstRunToken(w http.ResponseWriter, r *http.Request, token string) bool {
	if token == "" {
		s.forbidden(w, view{}, "Setting up needs the link the server printed when it started: /setup?token=…. Look in the server's output, or start it again for a new link.")
		return false
	}
	if err := s.svc.CheckFirstRunToken(r.Context(), token); err != nil {
		s.firstRunFailed(w, r, err)
		return false
	}
	return true
}

func (s *dashboard) firstRunFailed(w http.ResponseWriter, r *http.Request, err error) {
	if referral.ErrorCode(err) == referral.ENotFound {
		s.message(w, http.StatusNotFound, view{}, "This link no longer works", "This set-up link is used, expired or wrong. Start the server again: it prints a new one while there is no practice.")
		return
	}
	s.fail(w, r, view{}, err)
}

func (s *dashboard) showSetup(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if !s.noPracticeYet(w, r) || !s.firstRunToken(w, r, token) {
		return
	}
	form, ok := s.preSignIn(w, r)
	if !ok {
		return
	}
	pages.Render(w, http.StatusOK, "setup", setupPage{view: view{Title: "Set up AdvocateLoop", CSRF: form.token},
		Token: token, Currency: "USD", RewardKind: referral.DiscountCode,
		Currencies: referral.Currencies, TimeZones: referral.TimeZones})
}

func (s *dashboard) setup(w http.ResponseWriter, r *http.Request) {
	if !s.noPracticeYet(w, r) {
		return
	}
	form, ok := s.postedPreSignIn(w, r)
	if !ok {
		return
	}
	token := r.PostFormValue("token")
	if !s.firstRunToken(w, r, token) {
		return
	}
	f := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	page := setupPage{view: view{Title: "Set up AdvocateLoop", CSRF: form.token}, Token: token,
		Name: f("name"), Email: f("email"), Currency: f("currency"), TimeZone: f("time_zone"),
		RewardKind: f("reward_kind"), RewardAmount: f("reward_amount"), Offer: f("offer"), BookingURL: f("booking_url"),
		Currencies: referral.Currencies, TimeZones: referral.TimeZones}
	password := r.PostFormValue("password")
	// The password is checked first, so a refused one leaves no practice behind.
	err := referral.CheckPassword(password, r.PostFormValue("confirm"))
	var secrets *referral.PracticeSecrets
	if err == nil {
		_, secrets, err = s.svc.CreateFirstPractice(r.Context(), token, referral.NewPractice{Name: page.Name,
			AdminEmail: page.Email, Currency: page.Currency, TimeZone: page.TimeZone,
			RewardKind: page.RewardKind, RewardAmount: referral.Amount(page.RewardAmount),
			FriendOffer: referral.FriendOffer{Description: page.Offer}, BookingURL: page.BookingURL})
	}
	if errs, ok := fieldErrors(err, setupInputs); ok {
		page.Errors = errs
		page.Alert = "Please correct the fields marked below."
		pages.Render(w, http.StatusUnprocessableEntity, "setup", page)
		return
	}
	if err != nil {
		s.firstRunFailed(w, r, err)
		return
	}
	s.finishSetup(w, r, secrets.SetupToken, password, password)
}

// finishSetup sets the password through a set-up token and signs its account in.
func (s *dashboard) finishSetup(w http.ResponseWriter, r *http.Request, token, password, confirm string) {
	st, err := s.svc.SetPassword(r.Context(), token, password, confirm)
	if err != nil {
		s.fail(w, r, view{}, err)
		return
	}
	session, err := s.svc.StartSession(r.Context(), st)
	if err != nil {
		s.fail(w, r, view{}, err)
		return
	}
	s.signIn(w, r, session, "/app")
}

type passwordPage struct {
	view
	Email string
}

func (s *dashboard) showSetPassword(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.SetupAccount(r.Context(), r.PathValue("token"))
	if err != nil {
		s.setupLinkFailed(w, r, err)
		return
	}
	form, ok := s.preSignIn(w, r)
	if !ok {
		return
	}
	pages.Render(w, http.StatusOK, "password", passwordPage{view: view{Title: "Set your password", CSRF: form.token}, Email: st.Email})
}

func (s *dashboard) setPassword(w http.ResponseWriter, r *http.Request) {
	form, ok := s.postedPreSignIn(w, r)
	if !ok {
		return
	}
	token := r.PathValue("token")
	st, err := s.svc.SetupAccount(r.Context(), token)
	if err != nil {
		s.setupLinkFailed(w, r, err)
		return
	}
	password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	if err := referral.CheckPassword(password, confirm); err != nil {
		errs, _ := fieldErrors(err, setupInputs)
		pages.Render(w, http.StatusUnprocessableEntity, "password", passwordPage{
			view: view{Title: "Set your password", CSRF: form.token, Errors: errs}, Email: st.Email})
		return
	}
	s.finishSetup(w, r, token, password, confirm)
}

func (s *dashboard) setupLinkFailed(w http.ResponseWriter, r *http.Request, err error) {
	if referral.ErrorCode(err) == referral.ENotFound {
		s.message(w, http.StatusNotFound, view{}, "This link no longer works", "This set-up link is used, expired or wrong. Ask your practice's admin for a new one.")
		return
	}
	s.fail(w, r, view{}, err)
}
