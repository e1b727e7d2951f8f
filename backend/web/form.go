package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// personForm is a form's name and email as typed, so a refused form comes back filled in,
// with what is wrong keyed by input id ("name", "email").
type personForm struct {
	Name   string
	Email  string
	Errors map[string]string
	// Honeypot is true when the hidden "website" field was filled in: a bot, which is
	// answered as if it had succeeded and stores nothing.
	Honeypot bool
}

var labels = map[string]string{"name": "Your name", "email": "Your email"}

// readPersonForm reads name, email and the honeypot from a posted form. What they hold is the
// domain's to judge, as for every other way in.
func readPersonForm(r *http.Request) (personForm, error) {
	if err := r.ParseForm(); err != nil {
		return personForm{}, err
	}
	clean := func(name string) string { return strings.TrimSpace(r.PostForm.Get(name)) }
	return personForm{Name: clean("name"), Email: clean("email"), Honeypot: clean("website") != ""}, nil
}

// refuse ties a validation error's fields to the form's inputs; inputs names the domain's
// field for each input id. It reports false for any other error.
func (f *personForm) refuse(err error, inputs map[string]string) bool {
	var e *referral.Error
	if !errors.As(err, &e) || e.Code != referral.EInvalid {
		return false
	}
	f.Errors = map[string]string{}
	for _, field := range e.Fields {
		for id, domainField := range inputs {
			if field.Field == domainField {
				f.Errors[id] = labels[id] + " " + field.Detail + "."
			}
		}
	}
	return len(f.Errors) > 0
}

const fixFields = "Please correct the fields marked below."

func (s *site) badForm(w http.ResponseWriter) {
	pages.Render(w, http.StatusBadRequest, "message", messagePage{
		chrome:  chrome{Title: "We couldn't read that form", NoIndex: true},
		Heading: "We couldn't read that form",
		Text:    "Please go back and send the form again.",
	})
}
