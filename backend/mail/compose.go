package mail

import (
	"bytes"
	"embed"
	"fmt"
	htemplate "html/template"
	"regexp"
	"strings"
	ttemplate "text/template"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Composed is a message in words: its subject, and the plain-text and HTML parts sent together.
type Composed struct{ Subject, Text, HTML string }

// Compose writes message m in practice p's name and colours. A letter whose one-time links were
// removed after sending still composes, so the dashboard's mailbox can show any message.
func Compose(p *referral.Practice, m *referral.Message) (Composed, error) {
	t, ok := templates[m.Kind]
	if !ok {
		return Composed{}, fmt.Errorf("mail: no words for message kind %q", m.Kind)
	}
	v := newView(p, m)
	var subject, text, html bytes.Buffer
	if err := t.text.ExecuteTemplate(&subject, "subject", v); err != nil {
		return Composed{}, fmt.Errorf("mail: compose %s subject: %w", m.Kind, err)
	}
	v.Subject = strings.Join(strings.Fields(subject.String()), " ") // one line, whatever the name holds
	if err := t.text.ExecuteTemplate(&text, "layout.txt", v); err != nil {
		return Composed{}, fmt.Errorf("mail: compose %s text: %w", m.Kind, err)
	}
	if err := t.html.ExecuteTemplate(&html, "layout.html", v); err != nil {
		return Composed{}, fmt.Errorf("mail: compose %s HTML: %w", m.Kind, err)
	}
	return Composed{Subject: v.Subject, Text: tidy(text.String()), HTML: strings.TrimSpace(html.String()) + "\n"}, nil
}

// view is what the templates see: the letter's facts and the practice's name and colours.
type view struct {
	Practice  string
	Program   string // "Glow Aesthetics' referral program"
	LogoURL   string
	Brand     colors
	L         referral.Letter
	Name      string // how the recipient is greeted
	Reward    string // "$50"
	Wallet    bool   // the reward is credit the front desk adds to the patient wallet
	Because   string // why the recipient gets this email
	LinkLasts string // how long a one-time link works
	Subject   string
}

func newView(p *referral.Practice, m *referral.Message) *view {
	v := &view{Practice: p.Name, Program: possessive(p.Name) + " referral program", LogoURL: p.LogoURL, Brand: brandOf(p), L: m.Letter,
		Name: m.Letter.FirstName, Reward: m.Letter.RewardAmount, Wallet: m.Letter.RewardKind == referral.WalletCredit}
	if v.Name == "" {
		v.Name = "there"
	}
	if v.Reward == "" {
		v.Reward = "a reward"
	}
	switch m.Kind {
	case referral.FriendWelcome, referral.ClaimNotAdded:
		v.Because = "You get this email because you claimed an invitation to " + p.Name + "."
	case referral.JoinEmail:
		v.Because = "You get this email because someone asked to join " + v.Program + " with this address."
		v.LinkLasts = lasts(referral.JoinLinkLifetime)
	case referral.StaffInvite:
		v.Because = "You get this email because an admin of " + p.Name + " invited this address to its dashboard."
		v.LinkLasts = lasts(referral.SetupTokenLifetime)
	case referral.PasswordReset:
		v.Because = "You get this email because someone asked to reset the password of this address on the " + p.Name + " dashboard."
		v.LinkLasts = lasts(referral.PasswordResetLifetime)
	default:
		v.Because = "You get this email because you joined " + v.Program + "."
		v.LinkLasts = lasts(referral.SignInLinkLifetime)
	}
	return v
}

// link is a URL drawn in the practice's colours: a button, or a link in the text.
type link struct {
	Label, URL string
	Brand      colors
}

// Button is a button to url, with the plain link beside it for clients that hide buttons.
func (v *view) Button(label, url string) link { return link{Label: label, URL: url, Brand: v.Brand} }

// Link is url written out as a link.
func (v *view) Link(url string) link { return link{URL: url, Brand: v.Brand} }

// possessive is "Glow Aesthetics'" or "Lumen Spa's".
func possessive(name string) string {
	if strings.HasSuffix(strings.ToLower(name), "s") {
		return name + "'"
	}
	return name + "'s"
}

// lasts says a link's lifetime in words: "30 minutes", "24 hours", "7 days".
func lasts(d time.Duration) string {
	if d >= 48*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	if d < 2*time.Hour {
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	return fmt.Sprintf("%d hours", int(d.Hours()))
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// tidy trims what the templates' line breaks leave: trailing spaces, runs of blank lines.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")) + "\n"
}

//go:embed templates
var files embed.FS

// kinds are the message kinds there are words for: every kind of package referral.
var kinds = []string{referral.AdvocateWelcome, referral.RewardEarned, referral.RewardVoided,
	referral.FriendWelcome, referral.ClaimNotAdded, referral.SignInEmail, referral.JoinEmail,
	referral.StaffInvite, referral.PasswordReset}

// templates holds each kind's two parts, each with its layout: templates/{kind}.txt defines
// "subject" and "body", templates/{kind}.html defines "body".
var templates = func() map[string]parts {
	out := map[string]parts{}
	for _, kind := range kinds {
		out[kind] = parts{
			text: ttemplate.Must(ttemplate.New("").ParseFS(files, "templates/layout.txt", "templates/"+kind+".txt")),
			html: htemplate.Must(htemplate.New("").ParseFS(files, "templates/layout.html", "templates/"+kind+".html")),
		}
	}
	return out
}()

type parts struct {
	text *ttemplate.Template
	html *htemplate.Template
}
