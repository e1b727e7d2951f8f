package mail_test

import (
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/mail"
)

func TestParseURL(t *testing.T) {
	for raw, want := range map[string]mail.Server{
		"smtp://ann:s3cret@mail.glow.example:2525":         {Host: "mail.glow.example", Port: 2525, Username: "ann", Password: "s3cret", Security: mail.StartTLS},
		"smtp://ann:s3cret@mail.glow.example":              {Host: "mail.glow.example", Port: 587, Username: "ann", Password: "s3cret", Security: mail.StartTLS},
		"smtp://relay.internal":                            {Host: "relay.internal", Port: 25, Security: mail.Opportunistic},
		"smtps://ann%40glow.example:p%40ss%3Aw%2F@[::1]":   {Host: "::1", Port: 465, Username: "ann@glow.example", Password: "p@ss:w/", Security: mail.ImplicitTLS},
		" SMTPS://apikey:SG.x-y_z@smtp.sendgrid.net:465/ ": {Host: "smtp.sendgrid.net", Port: 465, Username: "apikey", Password: "SG.x-y_z", Security: mail.ImplicitTLS},
	} {
		got, err := mail.ParseURL(raw)
		if err != nil || *got != want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
}

func TestSenderDescribesItselfWithoutThePassword(t *testing.T) {
	for raw, want := range map[string]string{
		"smtp://ann:s3cret@mail.glow.example:587": "smtp://ann@mail.glow.example:587 (STARTTLS)",
		"smtp://relay.internal":                   "smtp://relay.internal:25 (STARTTLS when offered, no password)",
		"smtps://ann:s3cret@mail.glow.example":    "smtps://ann@mail.glow.example:465 (TLS)",
	} {
		s, err := mail.NewSender(raw, "", "https://refer.example.com")
		if err != nil || !s.Delivering() || s.Description() != want {
			t.Errorf("%s: %q, %v; want %q", raw, s.Description(), err, want)
		}
	}
	if _, err := mail.NewSender("smtp://ann:s3cret@mail.glow.example:587/x", "", "https://refer.example.com"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a bad URL: %v", err)
	}
}

func TestFrom(t *testing.T) {
	for _, tc := range []struct{ from, public, want string }{
		{"", "https://refer.example.com", `"{practice} via AdvocateLoop" <rewards@refer.example.com>`},
		{"", "http://localhost:8080", `"{practice} via AdvocateLoop" <rewards@localhost>`},
		{`"Glow Rewards" <hello@glow.example>`, "https://refer.example.com", `"{practice} via Glow Rewards" <hello@glow.example>`},
		{"hello@glow.example", "https://refer.example.com", `"{practice} via AdvocateLoop" <hello@glow.example>`},
	} {
		s, err := mail.NewSender("", tc.from, tc.public)
		if err != nil || s.From() != tc.want {
			t.Errorf("from %q on %s = %q, %v; want %q", tc.from, tc.public, s.From(), err, tc.want)
		}
	}
	if _, err := mail.NewSender("", "the front desk", "https://refer.example.com"); err == nil {
		t.Error("a sender that is no address was accepted")
	}
}
