package mail_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/internal/mailtest"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Every kind of message goes from the outbox through a real SMTP server to its recipient,
// from the practice, in its words, with the headers mail clients act on, and nothing about
// the friend or the payment reaches the advocate.
func TestEveryKindArrivesInItsOwnWords(t *testing.T) {
	f := mustFixture(t, mailtest.WithStartTLS(), mailtest.WithAuth("glow", "s3cret"))
	ctx := context.Background()
	jane := f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	f.mustReferral(t, jane, "Franziska Fieldhouse", "franziska@friends.example")
	reward := f.mustPay(t, "INV-77321", "franziska@friends.example", "987.65").Conversion.Reward
	kim := f.mustAdvocate(t, "Kim Kerr", "kim@patients.example")
	f.mustReferral(t, kim, "Hal Hayes", "hal@friends.example")
	// Claims on Jane's page that cannot count: her own address, an advocate's, a friend of Kim's.
	for _, who := range []struct{ name, email string }{{"Jane Avery", jane.Email}, {"Kim Kerr", kim.Email}, {"Hal Hayes", "hal@friends.example"}} {
		if err := f.svc.ClaimInvitation(ctx, f.p, jane, who.name, who.email); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.RequestSignIn(ctx, f.p, referral.SignInRequest{Email: jane.Email}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RequestJoin(ctx, f.p, referral.NewAdvocate{Name: "Olga Novak", Email: "olga@patients.example"}); err != nil {
		t.Fatal(err)
	}
	queued := f.messages(t) // letters whole: the one-time links are still in them
	if len(queued) != 10 {
		t.Fatalf("%d messages queued, want 10", len(queued))
	}
	for range 3 {
		f.run(t)
	}
	f.mustRefund(t, "INV-77321") // the reward email has gone, so the advocate hears it was voided
	queued = append(queued, f.only(t, referral.RewardVoided))
	f.run(t)
	f.server.WaitFor(t, len(queued))
	got := f.received(t)

	for _, m := range queued {
		t.Run(m.Kind+" to "+m.To, func(t *testing.T) {
			msg := got[messageID(m)]
			if msg == nil {
				t.Fatalf("%s never arrived", messageID(m))
			}
			checkEnvelope(t, m, msg)
			all := msg.Subject + "\n" + msg.Text + "\n" + msg.HTML
			for _, never := range []string{"987.65", "INV-77321"} {
				if strings.Contains(all, never) {
					t.Errorf("the message says %q", never)
				}
			}
			if m.To == jane.Email || m.To == kim.Email {
				for _, friend := range []string{"Franziska", "Fieldhouse", "franziska@", "Hal", "hal@"} {
					if strings.Contains(all, friend) {
						t.Errorf("the advocate's message names the friend: %q", friend)
					}
				}
			}
			if m.Kind == referral.FriendWelcome && (strings.Contains(all, "Jane") || strings.Contains(all, "Avery")) {
				t.Errorf("the friend's welcome names the advocate")
			}
			says := func(words ...string) {
				t.Helper()
				for _, w := range words {
					if !strings.Contains(msg.Text, w) || !strings.Contains(msg.HTML, w) {
						t.Errorf("both parts should say %q:\n%s", w, msg.Text)
					}
				}
			}
			links := func(urls ...string) {
				t.Helper()
				for _, u := range urls {
					if !slices.Contains(msg.Links, u) {
						t.Errorf("no link to %s in %q", u, msg.Links)
					}
				}
			}
			page := public + "/p/" + f.p.Slug + "/me"
			switch m.Kind {
			case referral.AdvocateWelcome:
				says("Hi "+firstWord(m.Letter.FirstName), "referral link", "$50", "a code to use at check-in", "20% off your first facial")
				if m.To == jane.Email {
					says(jane.Code)
					links(jane.URL, page)
				}
			case referral.FriendWelcome:
				says("Hi "+firstWord(m.Letter.FirstName), "20% off your first facial", "HELLO20")
				links("https://glow.example/book")
			case referral.RewardEarned:
				says("a friend you invited has become a patient", reward.Code, "$50", "check-in")
				links(page, jane.URL)
			case referral.RewardVoided:
				says("refunded", reward.Code+" no longer works")
				links(page)
			case referral.ClaimNotAdded:
				switch m.Letter.Reason {
				case referral.ESelfReferral:
					says("your own referral link")
					links(jane.URL, page)
				case referral.EExistingPatient:
					says("new to the practice")
					links("https://glow.example/book")
				case referral.EAlreadyReferred:
					says("An earlier invitation for this address already counts")
					links("https://glow.example/book")
				}
			case referral.SignInEmail:
				says("Here is your link to your page", "30 minutes", "did not ask", jane.Code)
				links(m.Letter.SignInURL, jane.URL)
				checkLinkWorks(t, f, m.Letter.SignInURL, false)
			case referral.JoinEmail:
				says("Confirm your email", "24 hours", "did not ask")
				links(m.Letter.SignInURL)
				checkLinkWorks(t, f, m.Letter.SignInURL, true)
			}
		})
	}

	// Once sent, what is kept has no one-time link left in it.
	for _, m := range f.messages(t) {
		if m.Status != referral.MessageSent || m.SentAt == nil || m.Letter.SignInURL != "" || m.Letter.UnsubscribeURL != "" {
			t.Errorf("%s %s kept as %s, sent %v, links %q %q", m.Kind, m.ID, m.Status, m.SentAt, m.Letter.SignInURL, m.Letter.UnsubscribeURL)
		}
	}
	for _, m := range f.server.Messages() {
		if !m.TLS || m.User != "glow" || m.From != "rewards@refer.example.com" {
			t.Errorf("envelope %s → %v over TLS %v as %q", m.From, m.To, m.TLS, m.User)
		}
	}
}

// checkEnvelope checks the headers every message carries.
func checkEnvelope(t *testing.T, m referral.Message, msg *mailtest.Parsed) {
	t.Helper()
	h := msg.Header
	if len(msg.To) != 1 || msg.To[0].Address != m.To {
		t.Errorf("To = %v, want %s", msg.To, m.To)
	}
	if msg.From.Name != "Glow Aesthetics via AdvocateLoop" || msg.From.Address != "rewards@refer.example.com" {
		t.Errorf("From = %q <%s>", msg.From.Name, msg.From.Address)
	}
	if len(msg.ReplyTo) != 1 || msg.ReplyTo[0].Address != "frontdesk@glow.example" {
		t.Errorf("Reply-To = %v", msg.ReplyTo)
	}
	if h.Get("Auto-Submitted") != "auto-generated" || h.Get("Date") == "" {
		t.Errorf("Auto-Submitted = %q, Date = %q", h.Get("Auto-Submitted"), h.Get("Date"))
	}
	if !strings.HasPrefix(h.Get("Content-Type"), "multipart/alternative") || msg.Text == "" || msg.HTML == "" {
		t.Errorf("Content-Type = %q with text %d bytes, HTML %d bytes", h.Get("Content-Type"), len(msg.Text), len(msg.HTML))
	}
	if !strings.Contains(msg.Subject, "Glow Aesthetics") || strings.Contains(msg.Subject, m.Letter.FirstName) || strings.Contains(msg.Subject, "@") {
		t.Errorf("Subject = %q: it names the practice, never a person", msg.Subject)
	}
	for _, footer := range []string{"Glow Aesthetics", "You get this email because"} {
		if !strings.Contains(msg.Text, footer) || !strings.Contains(msg.HTML, footer) {
			t.Errorf("no footer %q", footer)
		}
	}
	unsubscribe := h.Get("List-Unsubscribe")
	if !referral.Unsubscribable(m.Kind) {
		if unsubscribe != "" || h.Get("List-Unsubscribe-Post") != "" || strings.Contains(msg.Text, "Stop these emails") {
			t.Errorf("a one-time link carries List-Unsubscribe %q", unsubscribe)
		}
		return
	}
	if unsubscribe != "<"+m.Letter.UnsubscribeURL+">" || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe = %q, Post = %q; want <%s>", unsubscribe, h.Get("List-Unsubscribe-Post"), m.Letter.UnsubscribeURL)
	}
	u, err := url.Parse(m.Letter.UnsubscribeURL)
	if err != nil || referral.HashSecret(u.Query().Get("token")) != m.UnsubscribeHash || !slices.Contains(msg.Links, m.Letter.UnsubscribeURL) {
		t.Errorf("the unsubscribe link %q is not the message's own or not in its footer", m.Letter.UnsubscribeURL)
	}
}

// checkLinkWorks proves the one-time link in an email is live: the page it opens finds it.
func checkLinkWorks(t *testing.T, f *fixture, link string, joining bool) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(link, public+"/p/"+f.p.Slug+"/sign-in?token=") {
		t.Fatalf("link %q", link)
	}
	l, err := f.svc.PeekSignInLink(context.Background(), f.p, u.Query().Get("token"))
	if err != nil || l.Joining() != joining {
		t.Errorf("the emailed link: %+v, %v", l, err)
	}
}

func firstWord(s string) string { return strings.Fields(s + " ")[0] }
