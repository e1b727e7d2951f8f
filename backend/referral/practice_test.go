package referral_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func TestCreatePractice(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	n := practices.Add(1) // names are unique in the shared database
	name := fmt.Sprintf("Glow Aesthetics & Spa %d", n)
	p, secrets, err := s.CreatePractice(t.Context(), referral.NewPractice{Name: "  " + name + " ", AdminEmail: " Owner@Glow.example "})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != name || p.Currency != "USD" || p.TimeZone != "America/New_York" || !strings.HasPrefix(p.ID, "prc_") ||
		!p.CreatedAt.Equal(epoch) || p.Reward != referral.DefaultRewardPolicy("USD") {
		t.Errorf("practice = %+v", p)
	}
	if want := fmt.Sprintf("glow-aesthetics-spa-%d", n); p.Slug != want {
		t.Errorf("slug = %q, want %q", p.Slug, want)
	}
	policy := p.Reward
	if policy.Kind != referral.DiscountCode || policy.Amount.String() != "50.00" || policy.AnnualCap != 10 ||
		policy.Minimum != (referral.Money{Minor: 1, Currency: "USD"}) {
		t.Errorf("reward policy = %+v, want 50.00 USD as a code, 10 a year, minimum 0.01", policy)
	}
	if !apiKey.MatchString(secrets.APIKey) || secrets.WebhookSecret != p.WebhookSecret || len(secrets.SetupToken) != 40 {
		t.Errorf("secrets = %+v", secrets)
	}
	if raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(p.WebhookSecret, "whsec_")); err != nil || len(raw) != 32 {
		t.Errorf("webhook secret %q", p.WebhookSecret)
	}

	t.Run("its API key finds it", func(t *testing.T) {
		got, err := s.Authenticate(t.Context(), secrets.APIKey)
		if err != nil || got.ID != p.ID || got.Reward != p.Reward || got.Currency != "USD" {
			t.Errorf("Authenticate = %+v, %v, want %s", got, err, p.ID)
		}
		for _, key := range []string{"", "al_live_nope", strings.ToUpper(secrets.APIKey), secrets.APIKey + " "} {
			_, err := s.Authenticate(t.Context(), key)
			wantError(t, err, referral.EUnauthorized)
		}
	})

	t.Run("the same name gets another slug", func(t *testing.T) {
		again, _, err := s.CreatePractice(t.Context(), referral.NewPractice{Name: name, AdminEmail: "other@example.com"})
		if err != nil || again.Slug != p.Slug+"-2" || again.ID == p.ID {
			t.Errorf("second practice = %+v, %v, want slug %s-2", again, err, p.Slug)
		}
	})

	t.Run("currency and time zone", func(t *testing.T) {
		got, _, err := s.CreatePractice(t.Context(), referral.NewPractice{Name: fmt.Sprintf("Clínica Bella %d", n), AdminEmail: "a@example.com",
			Currency: "eur", TimeZone: "Europe/Madrid"})
		if err != nil || got.Currency != "EUR" || got.Reward.Amount != (referral.Money{Minor: 5000, Currency: "EUR"}) ||
			got.Location().String() != "Europe/Madrid" || got.Slug != fmt.Sprintf("clinica-bella-%d", n) {
			t.Errorf("practice = %+v, %v", got, err)
		}
	})
}

func TestCreatePracticeRefusesBadInput(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	for _, tc := range []struct {
		name   string
		in     referral.NewPractice
		fields []string
	}{
		{"no name", referral.NewPractice{AdminEmail: "a@example.com"}, []string{"name"}},
		{"blank name", referral.NewPractice{Name: "   ", AdminEmail: "a@example.com"}, []string{"name"}},
		{"bad admin email", referral.NewPractice{Name: "Glow", AdminEmail: "owner"}, []string{"admin_email"}},
		{"unknown currency", referral.NewPractice{Name: "Glow", AdminEmail: "a@example.com", Currency: "BUCKS"}, []string{"currency"}},
		{"unknown time zone", referral.NewPractice{Name: "Glow", AdminEmail: "a@example.com", TimeZone: "Mars/Olympus"}, []string{"time_zone"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _, err := s.CreatePractice(t.Context(), tc.in)
			wantError(t, err, referral.EInvalid, tc.fields...)
			if p != nil {
				t.Errorf("refused practice returned %+v", p)
			}
		})
	}
}

// A practice whose time zone the server does not know falls back to UTC rather than failing.
func TestPracticeLocation(t *testing.T) {
	t.Parallel()
	for zone, want := range map[string]string{"America/Los_Angeles": "America/Los_Angeles", "": "UTC", "Nowhere/Else": "UTC"} {
		p := referral.Practice{TimeZone: zone}
		if got := p.Location().String(); got != want {
			t.Errorf("Location(%q) = %q, want %q", zone, got, want)
		}
	}
}

// A key revoked after it authenticated a request records nothing: the rules check it again in
// the transaction that would record the payment or the refund.
func TestRevokedKeyRecordsNothing(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	key, k, err := s.CreateAPIKey(t.Context(), mustPractice(t, s))
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Authenticate(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	if err := s.RevokeAPIKey(t.Context(), p, k.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.RecordConversion(t.Context(), p, pay("INV-1", "fran@example.com"))
	wantError(t, err, referral.EUnauthorized)
	_, err = s.ReverseConversion(t.Context(), p, referral.RefundEvent{InvoiceID: "INV-2"})
	wantError(t, err, referral.EUnauthorized)
	_, _, err = s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "Ann Lee", Email: "ann@example.com"})
	wantError(t, err, referral.EUnauthorized)
	p.KeyHash = "" // the dashboard's view: the practice itself
	if n := len(mustConversions(t, s, p)); n != 0 {
		t.Errorf("%d conversions recorded with a revoked key", n)
	}
	if _, err := s.Authenticate(t.Context(), key); referral.ErrorCode(err) != referral.EUnauthorized {
		t.Errorf("Authenticate(revoked) = %v", err)
	}
}
