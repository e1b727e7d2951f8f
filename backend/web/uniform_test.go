package web_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// The people a practice knows, each in a different relation to it, and someone it does not.
type cast struct {
	p                                                  *referral.Practice
	inviter                                            *referral.Advocate // Jane, whose link friends claim
	newcomer, other, disabled, pending, converted, bot string             // emails
}

// mustCast starts a practice with an active advocate (Jane) whose link the claim form uses,
// another advocate (Kim), a disabled advocate (Dan), a friend Kim referred who has not visited
// (Fran) and one who has paid, converting (Paul).
func (s *site) mustCast(t *testing.T) cast {
	t.Helper()
	ctx := t.Context()
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	c := cast{p: p, inviter: s.mustAdvocate(t, p, "Jane Park", "jane@example.com"),
		newcomer: "newcomer@example.com", other: "kim@example.com", disabled: "dan@example.com",
		pending: "fran@example.com", converted: "paul@example.com", bot: "bot@example.com"}
	kim := s.mustAdvocate(t, p, "Kim Lee", c.other)
	dan := s.mustAdvocate(t, p, "Dan Dorsey", c.disabled)
	off := referral.Disabled
	if _, err := s.Service.UpdateAdvocate(ctx, p, dan.ID, referral.AdvocateChange{Status: &off}); err != nil {
		t.Fatal(err)
	}
	for _, friend := range []string{c.pending, c.converted} {
		if err := s.Service.ClaimInvitation(ctx, p, kim, "A Friend", friend); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.Service.RecordConversion(ctx, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: c.converted, Amount: "200"})
	if err != nil || res.Conversion == nil {
		t.Fatalf("conversion = %+v, %v", res, err)
	}
	return c
}

// TestUniformAnswers holds every public form to the rule that no answer reveals anyone's
// status: the same form with an advocate's, a referred friend's, a patient's, a stranger's or
// a bot's email answers byte for byte the same; what differs is only emailed, to that address.
func TestUniformAnswers(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	// The kinds of email, and what each form emails each of them (none: nothing at all).
	type want map[string]string
	const none = ""
	for _, form := range []struct {
		name  string
		post  func(t *testing.T, c cast, email string, bot bool) *response
		sends func(c cast) want
	}{
		{"hosted join", func(t *testing.T, c cast, email string, bot bool) *response {
			return s.postForm(t, "/p/"+c.p.Slug, fill(email, bot))
		}, func(c cast) want {
			return want{c.newcomer: referral.JoinEmail, c.inviter.Email: referral.SignInEmail, c.other: referral.SignInEmail,
				c.disabled: referral.SignInEmail, c.pending: referral.JoinEmail, c.converted: referral.JoinEmail, c.bot: none}
		}},
		{"widget join", func(t *testing.T, c cast, email string, bot bool) *response {
			body := map[string]string{"name": "Alex Doe", "email": email, "website": ""}
			if bot {
				body["website"] = "https://spam.example"
			}
			res := s.Client.Post("/p/"+c.p.Slug+"/advocates", body, "Origin", s.URL)
			return &response{Status: res.Status, Header: res.Header, Body: string(res.Body)}
		}, func(c cast) want {
			return want{c.newcomer: referral.JoinEmail, c.inviter.Email: referral.SignInEmail, c.other: referral.SignInEmail,
				c.disabled: referral.SignInEmail, c.pending: referral.JoinEmail, c.converted: referral.JoinEmail, c.bot: none}
		}},
		{"friend's claim on Jane's link", func(t *testing.T, c cast, email string, bot bool) *response {
			return s.postForm(t, "/r/"+c.inviter.Code, fill(email, bot))
		}, func(c cast) want {
			return want{c.newcomer: referral.FriendWelcome, c.inviter.Email: referral.ClaimNotAdded, c.other: referral.ClaimNotAdded,
				c.disabled: referral.ClaimNotAdded, c.pending: referral.ClaimNotAdded, c.converted: referral.ClaimNotAdded, c.bot: none}
		}},
		{"sign-in", func(t *testing.T, c cast, email string, bot bool) *response {
			return s.postForm(t, "/p/"+c.p.Slug+"/me", fill(email, bot))
		}, func(c cast) want {
			return want{c.newcomer: none, c.inviter.Email: referral.SignInEmail, c.other: referral.SignInEmail,
				c.disabled: referral.SignInEmail, c.pending: none, c.converted: none, c.bot: none}
		}},
	} {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			c := s.mustCast(t)
			sends := form.sends(c)
			var first *response
			// In a fixed order, so a failure names the same email every run.
			for _, email := range []string{c.newcomer, c.inviter.Email, c.other, c.disabled, c.pending, c.converted, c.bot} {
				before := s.messages(t, c.p)
				r := form.post(t, c, email, email == c.bot)
				if r.Status >= 300 {
					t.Fatalf("%s: %d\n%s", email, r.Status, r.Body)
				}
				if cookies := r.Header.Values("Set-Cookie"); len(cookies) != 0 {
					t.Errorf("%s: the answer sets %v", email, cookies)
				}
				if first == nil {
					first = r
				} else if r.Status != first.Status || r.Header.Get("Content-Type") != first.Header.Get("Content-Type") || r.Body != first.Body {
					t.Errorf("%s is answered differently from a new email:\n%d %s\n%s\nwant\n%d %s\n%s", email,
						r.Status, r.Header.Get("Content-Type"), r.Body, first.Status, first.Header.Get("Content-Type"), first.Body)
				}
				if strings.Contains(r.Body, "newcomer") || strings.Contains(r.Body, "Alex") {
					t.Errorf("%s: the answer repeats what was typed\n%s", email, r.Body)
				}
				wantQueued(t, before, s.messages(t, c.p), email, sends[email])
			}
		})
	}
}

// fill is the same form every time but for the email: a name, and the honeypot for a bot.
func fill(email string, bot bool) url.Values {
	f := person("Alex Doe", email)
	if bot {
		f.Set("website", "https://spam.example")
	}
	return f
}

// wantQueued checks that one post queued at most one message, of kind, to email and no one else.
func wantQueued(t *testing.T, before, after []referral.Message, email, kind string) {
	t.Helper()
	var added []referral.Message
	for _, m := range after {
		if !slices.ContainsFunc(before, func(b referral.Message) bool { return b.ID == m.ID }) {
			added = append(added, m)
		}
	}
	switch {
	case kind == "" && len(added) != 0:
		t.Errorf("%s: queued %d messages, want none: %+v", email, len(added), added)
	case kind != "" && (len(added) != 1 || added[0].To != email || added[0].Kind != kind):
		var got []string
		for _, m := range added {
			got = append(got, m.Kind+" to "+m.To)
		}
		t.Errorf("%s: queued %v, want one %s to %s", email, got, kind, email)
	}
}
