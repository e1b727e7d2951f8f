package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/mail"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Without an SMTP server every message is held in the mailbox with its letter whole, one-time
// links included, so staff can read it (and pass a link on) from the dashboard.
func TestMailboxHoldsMessagesWhole(t *testing.T) {
	f := mustFixtureFor(t, "")
	if f.sender.Delivering() || !strings.Contains(f.sender.Description(), "mailbox") {
		t.Fatalf("Delivering = %v, %q", f.sender.Delivering(), f.sender.Description())
	}
	jane := f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	if err := f.svc.RequestSignIn(context.Background(), f.p, referral.SignInRequest{Email: jane.Email}); err != nil {
		t.Fatal(err)
	}
	if n := f.run(t); n != 2 {
		t.Fatalf("attempted %d, want the welcome and the sign-in link", n)
	}
	for _, m := range f.messages(t) {
		if m.Status != referral.MessageHeld || m.SentAt == nil || m.LastError != "" {
			t.Errorf("%s: %s at %v, %q", m.Kind, m.Status, m.SentAt, m.LastError)
		}
		c, err := mail.Compose(f.p, &m)
		if err != nil {
			t.Fatal(err)
		}
		link := m.Letter.UnsubscribeURL
		if m.Kind == referral.SignInEmail {
			link = m.Letter.SignInURL
		}
		if link == "" || !strings.Contains(c.Text, link) || !strings.Contains(c.HTML, strings.ReplaceAll(link, "&", "&amp;")) {
			t.Errorf("%s held without its link %q", m.Kind, link)
		}
	}
	if f.run(t) != 0 {
		t.Error("a held message was attempted again")
	}
}

// A sent message keeps no one-time link; 31 days on its letter is gone and who, when and
// what became of it stay.
func TestSentLettersAreRedactedThenPurged(t *testing.T) {
	f := mustFixture(t)
	jane := f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	if err := f.svc.RequestSignIn(context.Background(), f.p, referral.SignInRequest{Email: jane.Email}); err != nil {
		t.Fatal(err)
	}
	f.run(t)
	signIn := f.only(t, referral.SignInEmail)
	if signIn.Status != referral.MessageSent || signIn.Letter.SignInURL != "" || signIn.Letter.ReferralCode != jane.Code {
		t.Errorf("kept as %s with %+v", signIn.Status, signIn.Letter)
	}
	c, err := mail.Compose(f.p, &signIn) // what the mailbox shows
	if err != nil || !strings.Contains(c.Text, "(this one-time link was removed after sending)") {
		t.Errorf("a redacted letter composes as %q, %v", c.Text, err)
	}

	f.clock.Add(31 * 24 * time.Hour)
	n, err := f.svc.PurgeMessageBodies(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("purged %d, %v; want both letters", n, err)
	}
	for _, m := range f.messages(t) {
		if !m.BodyDeleted || m.Letter != (referral.Letter{}) || m.Status != referral.MessageSent || m.To != jane.Email || m.SentAt == nil {
			t.Errorf("after the purge: %+v", m)
		}
	}
}

// A one-time link that expired while it waited (the server was down) is not sent at all.
func TestExpiredLinksAreNotSent(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	jane := f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	f.run(t)
	if err := f.svc.RequestSignIn(ctx, f.p, referral.SignInRequest{Email: jane.Email}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RequestJoin(ctx, f.p, referral.NewAdvocate{Name: "Olga Novak", Email: "olga@patients.example"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(31 * time.Minute)
	f.run(t)
	if m := f.only(t, referral.SignInEmail); m.Status != referral.MessageCancelled || !strings.Contains(m.LastError, "expired") {
		t.Errorf("a sign-in link 31 minutes old: %s, %q", m.Status, m.LastError)
	}
	if m := f.only(t, referral.JoinEmail); m.Status != referral.MessageSent {
		t.Errorf("a join link 31 minutes old (it lasts a day): %s, %q", m.Status, m.LastError)
	}
	if got := len(f.server.Messages()); got != 2 {
		t.Errorf("%d arrived, want the welcome and the join link", got)
	}
}
