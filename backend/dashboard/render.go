package dashboard

import (
	"embed"
	"html/template"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

//go:embed templates/*.html static/dashboard.css static/dashboard.js
var files embed.FS

func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

var funcs = template.FuncMap{
	"short":          shortName,
	"input":          newInput,
	"help":           withHelp,
	"money":          referral.Money.Display,
	"kind":           kindLabel,
	"source":         sourceLabel,
	"anyConversions": anyConversions,
	"mailStatus":     mailStatusLabel,
	"mailStatuses":   func() []string { return mailStatuses },
	"stepName":       func(key string) string { return stepNames[key] },
	// when shows a time in the practice's time zone, as the front desk lives it.
	"when": func(t time.Time, p *referral.Practice) string {
		if p == nil {
			return t.UTC().Format("Jan 2, 2006 15:04 MST")
		}
		return t.In(p.Location()).Format("Jan 2, 2006 15:04 MST")
	},
	// day is a date in the practice's time zone, such as the end of a reward's hold: "Dec 14".
	"day": func(t *time.Time, p *referral.Practice) string {
		if t == nil {
			return ""
		}
		return t.In(p.Location()).Format("Jan 2")
	},
}

// pages are the dashboard's pages, styled like the patient pages with rules of their own. The
// mailbox shows a message's HTML part in a frame of its own, served from /app/mail.
var pages = edge.NewPages(edge.Layout{
	Files:  files,
	Layout: []string{"templates/layout.html", "templates/parts.html", "templates/checklist.html", "templates/partial-*.html"},
	Pages: []string{"message", "setup", "password", "login", "home", "rewards",
		"conversion", "nearmisses", "reports", "settings", "staff", "mailbox", "mail-message",
		"forgot", "advocates", "advocate", "referrals", "upgrade", "confirm"},
	CSS:      mustRead("static/dashboard.css"),
	Script:   mustRead("static/dashboard.js"),
	Funcs:    funcs,
	Policy:   "; frame-src 'self'",
	Referrer: "same-origin",
})

// view is what the layout needs around every page.
type view struct {
	Title  string
	Nav    string             // the current section, for aria-current
	Me     *referral.SignedIn // nil before sign-in
	CSRF   string             // the token every form posts back
	Errors map[string]string  // field id → message, shown in place
	Alert  string             // a form-wide error, role=alert
	Notice string             // a confirmation, role=status
	// MailHeld says that no mail server is set: messages wait in the mailbox, undelivered.
	MailHeld bool
}

// Practice is the signed-in practice, or nil.
func (v view) Practice() *referral.Practice {
	if v.Me == nil {
		return nil
	}
	return v.Me.Practice
}

// Admin tells whether the signed-in person may see the admin pages.
func (v view) Admin() bool { return v.Me != nil && v.Me.Staff.Role == referral.Admin }

// shortName is how the feed names people: "Fran Fischer" → "Fran F.".
func shortName(name string) string {
	words := strings.Fields(name)
	switch len(words) {
	case 0:
		return "Someone"
	case 1:
		return words[0]
	}
	last := []rune(words[len(words)-1])
	return words[0] + " " + strings.ToUpper(string(last[0])) + "."
}

// input is one labelled form field, with its error and help tied to it.
type input struct {
	ID, Label, Type, Value, Error string
	Help                          string // a sentence under the field, for a setting that needs one
}

func newInput(id, label, typ, value string, errs map[string]string) input {
	return input{ID: id, Label: label, Type: typ, Value: value, Error: errs[id]}
}

func withHelp(in input, help string) input {
	in.Help = help
	return in
}
