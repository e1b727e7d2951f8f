package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// mustFirstRunToken is the one-time /setup token that `serve` prints on an empty database.
func mustFirstRunToken(tb testing.TB, s *site) string {
	tb.Helper()
	token, err := s.Service.NewFirstRunToken(context.Background())
	if err != nil || token == "" {
		tb.Fatalf("first-run token %q: %v", token, err)
	}
	return token
}

func setupForm(token string) url.Values {
	return url.Values{"name": {"Glow Aesthetics"}, "email": {"owner@glow.example"}, "password": {password},
		"confirm": {password}, "token": {token}, "currency": {"EUR"}, "time_zone": {"Europe/Paris"},
		"reward_kind": {"wallet_credit"}, "reward_amount": {"40"}, "offer": {"€20 off your first visit"},
		"booking_url": {"https://glow.example/book"}}
}

func wantNoPractice(tb testing.TB, s *site) {
	tb.Helper()
	if n, err := s.Service.PracticeCount(context.Background()); err != nil || n != 0 {
		tb.Fatalf("%d practices (%v), want none", n, err)
	}
}

// A stranger who reaches the server first cannot claim it: /setup takes nothing without the
// token the server printed, nor with a wrong, used or expired one.
func TestSetupRefusesAStrangerWithoutTheToken(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	b := s.browser(t)
	want(t, b.get("/setup"), http.StatusForbidden, "the link the server printed")
	want(t, b.get("/setup?token=guessed"), http.StatusNotFound, "no longer works")
	token := mustFirstRunToken(t, s)
	want(t, b.get("/setup?token="+token), http.StatusOK) // a form token for the posts below
	for _, bad := range []string{"", "guessed", token + "x"} {
		form := setupForm(bad)
		want(t, b.post("/setup", form), map[bool]int{true: http.StatusForbidden, false: http.StatusNotFound}[bad == ""])
		wantNoPractice(t, s)
	}
	// A token from the query string is not enough for a post either: the form carries it.
	form := setupForm("")
	form.Del("token")
	want(t, b.post("/setup?token="+token, form), http.StatusForbidden)
	wantNoPractice(t, s)

	// The right token works once; another server's token dies with it.
	other := mustFirstRunToken(t, s)
	wantRedirect(t, b.post("/setup", setupForm(token)), "/app")
	want(t, s.browser(t).get("/setup?token="+token), http.StatusNotFound)
	if err := s.Service.CheckFirstRunToken(context.Background(), other); referral.ErrorCode(err) != referral.ENotFound {
		t.Fatalf("another token after the first practice: %v, want not found", err)
	}
	if token, err := s.Service.NewFirstRunToken(context.Background()); token != "" || err != nil {
		t.Fatalf("a token once a practice exists: %q %v", token, err)
	}
}

func TestSetupTokenExpires(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	token := mustFirstRunToken(t, s)
	b := s.browser(t)
	want(t, b.get("/setup?token="+token), http.StatusOK)
	s.advance(referral.FirstRunTokenLifetime + time.Minute)
	want(t, b.get("/setup?token="+token), http.StatusNotFound, "no longer works")
	want(t, b.post("/setup", setupForm(token)), http.StatusNotFound)
	wantNoPractice(t, s)
}

// The first run asks for what gets a practice live, and keeps every answer.
func TestSetupKeepsCurrencyTimeZoneRewardOfferAndBookingLink(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	token := mustFirstRunToken(t, s)
	b := s.browser(t)
	want(t, b.get("/setup?token="+token), http.StatusOK, `<option selected>USD</option>`, `<option>JPY</option>`,
		`list="time-zones"`, `<option value="America/Los_Angeles">`, "Reward amount", "Friend offer", "Booking link")
	wantRedirect(t, b.post("/setup", setupForm(token)), "/app")
	p := mustOnlyPractice(t, s)
	if p.Currency != "EUR" || p.TimeZone != "Europe/Paris" || p.Reward.Kind != referral.WalletCredit ||
		p.Reward.Amount.String() != "40.00" || p.Offer.Description != "€20 off your first visit" ||
		p.BookingURL != "https://glow.example/book" {
		t.Fatalf("practice after set-up: %+v", p)
	}
	// No API key yet: the admin makes one when connecting Zapier, and sees it then.
	if keys, err := s.Service.APIKeys(context.Background(), p); err != nil || len(keys) != 0 {
		t.Fatalf("keys after set-up: %v %v", keys, err)
	}
}

func TestSetupRefusesBadAnswersNamingTheFieldAndWritesNothing(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	token := mustFirstRunToken(t, s)
	b := s.browser(t)
	b.get("/setup?token=" + token)
	for field, value := range map[string]string{"time_zone": "Mars/Olympus", "currency": "XYZ",
		"reward_amount": "1,50", "booking_url": "javascript:alert(1)", "reward_kind": "cash"} {
		form := setupForm(token)
		form.Set(field, value)
		res := b.post("/setup", form)
		want(t, res, http.StatusUnprocessableEntity, `id="`+field+`-error"`, `value="Glow Aesthetics"`)
		wantNoPractice(t, s)
	}
	form := setupForm(token)
	form.Set("time_zone", "Local") // the server's zone, not a practice's
	want(t, b.post("/setup", form), http.StatusUnprocessableEntity, `id="time_zone-error"`)
	// The token was not used up by the refused forms.
	wantRedirect(t, b.post("/setup", setupForm(token)), "/app")
}

// Two servers' tokens used at the same moment make one practice, not two.
func TestTwoFirstRunsAtOnceMakeOnePractice(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	tokens := []string{mustFirstRunToken(t, s), mustFirstRunToken(t, s)}
	errs := make(chan error, len(tokens))
	for i, token := range tokens {
		go func() {
			_, _, err := s.Service.CreateFirstPractice(context.Background(), token, referral.NewPractice{
				Name: "Glow", AdminEmail: "owner" + string(rune('a'+i)) + "@glow.example"})
			errs <- err
		}()
	}
	created := 0
	for range tokens {
		if err := <-errs; err == nil {
			created++
		} else if referral.ErrorCode(err) != referral.ENotFound {
			t.Errorf("the first run that lost: %v, want not found", err)
		}
	}
	if n, err := s.Service.PracticeCount(context.Background()); created != 1 || n != 1 || err != nil {
		t.Fatalf("%d first runs succeeded, %d practices (%v); want one", created, n, err)
	}
}
