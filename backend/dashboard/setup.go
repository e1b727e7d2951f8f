package dashboard

import (
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// First run: /setup creates the first practice and its admin, only while there is none.

type setupPage struct {
	view
	Name, Email string
}

var setupInputs = map[string][2]string{
	"name":             {"name", "Practice name"},
	"admin_email":      {"email", "Your email"},
	"password":         {"password", "Password"},
	"confirm_password": {"confirm", "Confirm password"},
}

func (s *dashboard) firstRun(w http.ResponseWriter, r *http.Request) bool {
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

func (s *dashboard) showSetup(w http.ResponseWriter, r *http.Request) {
	if !s.firstRun(w, r) {
		return
	}
	form, ok := s.preSignIn(w, r)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "setup", setupPage{view: view{Title: "Set up AdvocateLoop", CSRF: form.token}})
}

func (s *dashboard) setup(w http.ResponseWriter, r *http.Request) {
	if !s.firstRun(w, r) {
		return
	}
	form, ok := s.preSignIn(w, r)
	if !ok {
		return
	}
	if !form.valid {
		s.refuseForm(w)
		return
	}
	page := setupPage{view: view{Title: "Set up AdvocateLoop", CSRF: form.token},
		Name: strings.TrimSpace(r.PostFormValue("name")), Email: strings.TrimSpace(r.PostFormValue("email"))}
	password := r.PostFormValue("password")
	// The password is checked first, so a refused one leaves no practice behind.
	err := referral.CheckPassword(password, r.PostFormValue("confirm"))
	var p *referral.Practice
	var secrets *referral.PracticeSecrets
	if err == nil {
		p, secrets, err = s.svc.CreatePractice(r.Context(), referral.NewPractice{Name: page.Name, AdminEmail: page.Email})
	}
	if errs, ok := fieldErrors(err, setupInputs); ok {
		page.Errors = errs
		s.render(w, http.StatusUnprocessableEntity, "setup", page)
		return
	}
	if err != nil {
		s.fail(w, r, view{}, err)
		return
	}
	_ = p
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
	s.render(w, http.StatusOK, "password", passwordPage{view: view{Title: "Set your password", CSRF: form.token}, Email: st.Email})
}

func (s *dashboard) setPassword(w http.ResponseWriter, r *http.Request) {
	form, ok := s.preSignIn(w, r)
	if !ok {
		return
	}
	if !form.valid {
		s.refuseForm(w)
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
		s.render(w, http.StatusUnprocessableEntity, "password", passwordPage{
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
