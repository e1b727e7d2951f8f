package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// A staff invitation and a password reset each reach a real SMTP server once, in the practice's
// words, with their one-time link and no List-Unsubscribe; the outbox keeps neither link.
func TestStaffEmailsArriveOnce(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	_, invite, err := f.svc.InviteStaff(ctx, f.p, referral.NewStaff{Email: "kim@glow.example", Role: referral.FrontDesk})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetPassword(ctx, invite, "kim's password", "kim's password"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RequestPasswordReset(ctx, referral.PasswordResetRequest{Email: "kim@glow.example"}); err != nil {
		t.Fatal(err)
	}
	f.run(t)
	f.run(t)
	got := f.received(t)
	if len(got) != 2 {
		t.Fatalf("%d emails arrived, want the invitation and the reset", len(got))
	}
	want := map[string]string{"You are invited to the Glow Aesthetics dashboard": "7 days",
		"Reset your password for the Glow Aesthetics dashboard": "60 minutes"}
	for _, msg := range got {
		lasts, ok := want[msg.Subject]
		if !ok {
			t.Errorf("unexpected subject %q", msg.Subject)
			continue
		}
		delete(want, msg.Subject)
		if len(msg.To) != 1 || msg.To[0].Address != "kim@glow.example" || msg.Header.Get("List-Unsubscribe") != "" {
			t.Errorf("%s: to %v, List-Unsubscribe %q", msg.Subject, msg.To, msg.Header.Get("List-Unsubscribe"))
		}
		var link string
		for _, l := range msg.Links {
			if strings.HasPrefix(l, public+"/setup/") {
				link = l
			}
		}
		if link == "" || !strings.Contains(msg.Text, link) || !strings.Contains(msg.Text, lasts) || !strings.Contains(msg.HTML, lasts) {
			t.Errorf("%s: link %q, text:\n%s", msg.Subject, link, msg.Text)
		}
	}
	for _, kind := range []string{referral.StaffInvite, referral.PasswordReset} {
		if m := f.only(t, kind); m.Status != referral.MessageSent || m.Letter.SignInURL != "" {
			t.Errorf("%s kept as %s with %+v", kind, m.Status, m.Letter)
		}
	}
}

// A reset link that waited past its hour (the mail server was down) is not sent at all.
func TestExpiredResetIsNotSent(t *testing.T) {
	f := mustFixture(t)
	ctx := context.Background()
	_, invite, err := f.svc.InviteStaff(ctx, f.p, referral.NewStaff{Email: "kim@glow.example", Role: referral.FrontDesk})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetPassword(ctx, invite, "kim's password", "kim's password"); err != nil {
		t.Fatal(err)
	}
	f.run(t)
	if err := f.svc.RequestPasswordReset(ctx, referral.PasswordResetRequest{Email: "kim@glow.example"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(referral.PasswordResetLifetime + time.Minute)
	f.run(t)
	if m := f.only(t, referral.PasswordReset); m.Status != referral.MessageCancelled {
		t.Errorf("a reset link an hour old: %s, %q", m.Status, m.LastError)
	}
	if n := len(f.server.Messages()); n != 1 {
		t.Errorf("%d arrived, want the invitation only", n)
	}
}
