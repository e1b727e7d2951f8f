package referral_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func TestUpdateSettings(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	if p.BrandColor != referral.DefaultBrandColor || p.LogoURL != "" || p.BookingURL != "" || len(p.AllowedOrigins) != 0 {
		t.Fatalf("new practice settings = %q %q %q %q, want the defaults", p.BrandColor, p.LogoURL, p.BookingURL, p.AllowedOrigins)
	}

	got, err := s.UpdateSettings(t.Context(), p, referral.PracticeSettings{
		BrandColor: " #C0FFEE ",
		LogoURL:    "https://glow.example/logo.png",
		BookingURL: "http://book.glow.example/new?source=friend",
		AllowedOrigins: []string{"https://GlowAesthetics.com/", " https://glowaesthetics.com",
			"http://localhost:8081", ""},
		FriendOffer: referral.FriendOffer{Description: " $25 off your first visit ", WelcomeCode: "WELCOME25"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://glowaesthetics.com", "http://localhost:8081"}
	check := func(where string, got *referral.Practice) {
		t.Helper()
		if got.BrandColor != "#c0ffee" || got.LogoURL != "https://glow.example/logo.png" ||
			got.BookingURL != "http://book.glow.example/new?source=friend" || !slices.Equal(got.AllowedOrigins, want) ||
			got.Offer != (referral.FriendOffer{Description: "$25 off your first visit", WelcomeCode: "WELCOME25"}) {
			t.Errorf("%s: settings = %q %q %q %q %+v", where, got.BrandColor, got.LogoURL, got.BookingURL, got.AllowedOrigins, got.Offer)
		}
		if got.ID != p.ID || got.Name != p.Name || got.Reward != p.Reward || got.WebhookSecret != p.WebhookSecret {
			t.Errorf("%s: the rest of the practice changed: %+v", where, got)
		}
	}
	check("UpdateSettings", got)
	stored, err := s.PracticeBySlug(t.Context(), p.Slug)
	if err != nil {
		t.Fatal(err)
	}
	check("PracticeBySlug", stored)

	t.Run("empty settings restore the defaults", func(t *testing.T) {
		got, err := s.UpdateSettings(t.Context(), p, referral.PracticeSettings{})
		if err != nil {
			t.Fatal(err)
		}
		if got.BrandColor != referral.DefaultBrandColor || got.LogoURL != "" || got.BookingURL != "" ||
			len(got.AllowedOrigins) != 0 || got.Offer != (referral.FriendOffer{}) {
			t.Errorf("settings = %+v, want the defaults", got)
		}
	})
}

func TestUpdateSettingsRefusesBadInput(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("https://site%d.example", i)
	}
	for _, tc := range []struct {
		name   string
		in     referral.PracticeSettings
		fields []string
	}{
		{"colour by name", referral.PracticeSettings{BrandColor: "purple"}, []string{"brand_color"}},
		{"short colour", referral.PracticeSettings{BrandColor: "#abc"}, []string{"brand_color"}},
		{"colour that escapes CSS", referral.PracticeSettings{BrandColor: "#abcdef;}"}, []string{"brand_color"}},
		{"logo over http", referral.PracticeSettings{LogoURL: "http://glow.example/logo.png"}, []string{"logo_url"}},
		{"logo as script", referral.PracticeSettings{LogoURL: "javascript:alert(1)"}, []string{"logo_url"}},
		{"booking by ftp", referral.PracticeSettings{BookingURL: "ftp://glow.example"}, []string{"booking_url"}},
		{"booking without host", referral.PracticeSettings{BookingURL: "https:///book"}, []string{"booking_url"}},
		{"origin with a path", referral.PracticeSettings{AllowedOrigins: []string{"https://glow.example/book"}}, []string{"allowed_origins[0]"}},
		{"origin without scheme", referral.PracticeSettings{AllowedOrigins: []string{"https://ok.example", "glow.example"}}, []string{"allowed_origins[1]"}},
		{"origin with a query", referral.PracticeSettings{AllowedOrigins: []string{"https://glow.example?x=1"}}, []string{"allowed_origins[0]"}},
		{"too many origins", referral.PracticeSettings{AllowedOrigins: many}, []string{"allowed_origins"}},
		{"long offer", referral.PracticeSettings{FriendOffer: referral.FriendOffer{Description: strings.Repeat("x", 301), WelcomeCode: strings.Repeat("W", 41)}},
			[]string{"friend_offer.description", "friend_offer.welcome_code"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.UpdateSettings(t.Context(), p, tc.in)
			wantError(t, err, referral.EInvalid, tc.fields...)
			if got != nil {
				t.Errorf("refused settings returned %+v", got)
			}
		})
	}
	stored, err := s.PracticeBySlug(t.Context(), p.Slug)
	if err != nil || stored.BrandColor != referral.DefaultBrandColor || stored.LogoURL != "" {
		t.Errorf("after refusals the practice is %+v, %v; want it unchanged", stored, err)
	}
}

func TestPracticeBySlug(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	got, err := s.PracticeBySlug(t.Context(), " "+strings.ToUpper(p.Slug)+" ")
	if err != nil || got.ID != p.ID {
		t.Errorf("PracticeBySlug(%q) = %+v, %v, want %s", p.Slug, got, err, p.ID)
	}
	for _, slug := range []string{"", "no-such-practice", p.Slug + "-x"} {
		_, err := s.PracticeBySlug(t.Context(), slug)
		wantError(t, err, referral.ENotFound)
	}
}

// A referral code finds its practice and advocate on its own: codes are unique across practices.
func TestInvitation(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	a, b := mustPractice(t, s), mustPractice(t, s)
	jane := mustAdvocate(t, s, a, "Jane Park", "jane@example.com")
	kim := mustAdvocate(t, s, b, "Kim Kerr", "jane@example.com") // the same patient at two practices

	for _, tc := range []struct {
		code     string
		practice *referral.Practice
		advocate *referral.Advocate
	}{
		{jane.Code, a, jane},
		{" " + strings.ToLower(jane.Code) + " ", a, jane},
		{kim.Code, b, kim},
	} {
		p, adv, err := s.Invitation(t.Context(), tc.code)
		if err != nil || p.ID != tc.practice.ID || p.Slug != tc.practice.Slug || adv.ID != tc.advocate.ID ||
			adv.Name != tc.advocate.Name || adv.URL != "https://refer.example/r/"+tc.advocate.Code {
			t.Errorf("Invitation(%q) = %+v, %+v, %v; want %s of %s", tc.code, p, adv, err, tc.advocate.ID, tc.practice.ID)
		}
	}

	t.Run("unknown codes", func(t *testing.T) {
		for _, code := range []string{"", "NOPE2345", jane.Code + "X", "AL-" + jane.Code} {
			_, _, err := s.Invitation(t.Context(), code)
			wantError(t, err, referral.ENotFound)
		}
	})

	t.Run("a disabled advocate invites no one", func(t *testing.T) {
		disabled := referral.Disabled
		if _, err := s.UpdateAdvocate(t.Context(), b, kim.ID, referral.AdvocateChange{Status: &disabled}); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.Invitation(t.Context(), kim.Code)
		wantError(t, err, referral.ENotFound)
	})
}
