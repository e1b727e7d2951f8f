package mail_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/mail"
	"github.com/advocateloop/advocateloop/backend/referral"
)

var kinds = []string{referral.AdvocateWelcome, referral.RewardEarned, referral.RewardVoided,
	referral.FriendWelcome, referral.ClaimNotAdded, referral.SignInEmail, referral.JoinEmail,
	referral.StaffInvite, referral.PasswordReset}

// letter has every fact a letter can hold.
func letter() referral.Letter {
	return referral.Letter{FirstName: "Jane", ReferralURL: "https://refer.example/r/ABCD2345", ReferralCode: "ABCD2345",
		PageURL: "https://refer.example/p/glow/me", SignInURL: "https://refer.example/p/glow/sign-in?token=t0k&x=1",
		RewardKind: referral.DiscountCode, RewardAmount: "$50", RewardCode: "AL-XYZ23456",
		Offer: "20% off your first facial", WelcomeCode: "HELLO20", BookingURL: "https://glow.example/book",
		Reason: referral.ESelfReferral, UnsubscribeURL: "https://refer.example/p/glow/unsubscribe?token=u"}
}

func compose(t *testing.T, p *referral.Practice, kind string, l referral.Letter) mail.Composed {
	t.Helper()
	c, err := mail.Compose(p, &referral.Message{Kind: kind, Letter: l})
	if err != nil {
		t.Fatalf("%s: %v", kind, err)
	}
	return c
}

var (
	hrefs    = regexp.MustCompile(`href="([^"]*)"`)
	anchors  = regexp.MustCompile(`<a [^>]*>([^<]*)</a>`)
	unsafeRE = regexp.MustCompile(`(?i)<script|<style|<link|javascript:|<iframe|<form`)
)

// Every kind composes, in full and once its one-time links are gone, as email-safe HTML whose
// every link is also written out, and plain text that says the same.
func TestEveryKindComposes(t *testing.T) {
	p := &referral.Practice{Name: "Glow Aesthetics", BrandColor: "#6b4eff", LogoURL: "https://glow.example/logo.png"}
	for _, kind := range kinds {
		for name, l := range map[string]referral.Letter{"whole": letter(), "redacted": letter().Redacted()} {
			c := compose(t, p, kind, l)
			if !strings.Contains(c.Subject, "Glow Aesthetics") || strings.Contains(c.Subject, "Jane") || strings.Contains(c.Subject, "\n") {
				t.Errorf("%s %s: subject %q", kind, name, c.Subject)
			}
			if !strings.Contains(c.HTML, `<html lang="en">`) || unsafeRE.MatchString(c.HTML) ||
				!strings.Contains(c.HTML, `alt="Glow Aesthetics"`) {
				t.Errorf("%s %s: HTML is not email-safe or needs its images:\n%s", kind, name, c.HTML)
			}
			visible := strings.Join(anchorTexts(c.HTML), "\n")
			for _, m := range hrefs.FindAllStringSubmatch(c.HTML, -1) {
				u := html.UnescapeString(m[1])
				if u != l.UnsubscribeURL && !strings.Contains(visible, u) {
					t.Errorf("%s %s: the link %s is only a button, never written out", kind, name, u)
				}
				if !strings.Contains(c.Text, u) {
					t.Errorf("%s %s: the plain text lacks %s", kind, name, u)
				}
			}
			for _, part := range []string{c.Text, c.HTML} {
				footer := strings.Contains(part, "You get this email because")
				stop := strings.Contains(part, "Stop these emails")
				if !footer || stop != (l.UnsubscribeURL != "") {
					t.Errorf("%s %s: footer %v, unsubscribe link %v", kind, name, footer, stop)
				}
			}
			oneTime := !referral.Unsubscribable(kind)
			removed := "(this one-time link was removed after sending)"
			if oneTime && (strings.Contains(c.Text, removed) != (l.SignInURL == "") || strings.Contains(c.HTML, removed) != (l.SignInURL == "")) {
				t.Errorf("%s %s: a removed link must say so, and only then:\n%s", kind, name, c.Text)
			}
		}
	}
	if _, err := mail.Compose(p, &referral.Message{Kind: "newsletter"}); err == nil {
		t.Error("a kind with no words composed")
	}
}

func anchorTexts(h string) []string {
	var out []string
	for _, m := range anchors.FindAllStringSubmatch(h, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// A reward reads as a code for check-in, or as credit the front desk adds to the wallet.
func TestRewardWords(t *testing.T) {
	p := &referral.Practice{Name: "Lumen Spa"}
	code := letter()
	wallet := letter()
	wallet.RewardKind = referral.WalletCredit
	for _, tc := range []struct {
		kind     string
		l        referral.Letter
		say, not []string
	}{
		{referral.RewardEarned, code, []string{"AL-XYZ23456", "check-in", "$50", "a friend you invited has become a patient"}, []string{"wallet"}},
		{referral.RewardEarned, wallet, []string{"patient wallet", "$50"}, []string{"AL-XYZ23456"}},
		{referral.RewardVoided, code, []string{"refunded", "AL-XYZ23456 no longer works"}, []string{"wallet"}},
		{referral.RewardVoided, wallet, []string{"refunded", "will not be added to your patient wallet"}, []string{"AL-XYZ23456"}},
		{referral.AdvocateWelcome, code, []string{"a code to use at check-in", "ABCD2345", "Lumen Spa's referral program"}, []string{"wallet"}},
		{referral.AdvocateWelcome, wallet, []string{"credit the front desk adds to your patient wallet"}, nil},
	} {
		c := compose(t, p, tc.kind, tc.l)
		for _, part := range []string{c.Text, c.HTML} {
			part = html.UnescapeString(part)
			for _, w := range tc.say {
				if !strings.Contains(part, w) {
					t.Errorf("%s %s does not say %q:\n%s", tc.kind, tc.l.RewardKind, w, part)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(part, w) {
					t.Errorf("%s %s says %q", tc.kind, tc.l.RewardKind, w)
				}
			}
		}
	}
}

// A claim that did not count is explained for its reason, in kind words.
func TestClaimNotAddedReasons(t *testing.T) {
	p := &referral.Practice{Name: "Glow Aesthetics"}
	for reason, want := range map[string][]string{
		referral.ESelfReferral:    {"your own referral link", "https://refer.example/r/ABCD2345", "https://refer.example/p/glow/me"},
		referral.EExistingPatient: {"new to the practice", "https://glow.example/book"},
		referral.EAlreadyReferred: {"An earlier invitation for this address already counts", "https://glow.example/book"},
	} {
		l := letter()
		l.Reason = reason
		if reason != referral.ESelfReferral {
			l.ReferralURL = ""
		}
		c := compose(t, p, referral.ClaimNotAdded, l)
		for _, w := range want {
			if !strings.Contains(c.Text, w) || !strings.Contains(c.HTML, w) {
				t.Errorf("%s does not say %q:\n%s", reason, w, c.Text)
			}
		}
		if !strings.Contains(c.Text, "claimed an invitation to Glow Aesthetics") {
			t.Errorf("%s: footer %q", reason, c.Text)
		}
	}
}

// What a practice typed is text, never markup, in either part.
func TestPracticeWordsAreEscaped(t *testing.T) {
	p := &referral.Practice{Name: `Glow <b>"&"</b>`, BrandColor: `red;background:url(https://x.example/)`}
	l := letter()
	l.Offer = `<script>alert(1)</script>`
	c := compose(t, p, referral.FriendWelcome, l)
	if strings.Contains(c.HTML, "<script>") || strings.Contains(c.HTML, "<b>") || strings.Contains(c.HTML, "url(") {
		t.Errorf("markup got through:\n%s", c.HTML)
	}
	if !strings.Contains(c.Text, `<script>alert(1)</script>`) || !strings.Contains(c.Subject, `Glow <b>"&"</b>`) {
		t.Errorf("plain text and subject keep the words as typed: %q / %q", c.Subject, c.Text)
	}
}
