package main

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
)

// TestPracticeSettings changes only the settings named, and refuses bad ones with the field.
func TestPracticeSettings(t *testing.T) {
	env := append(os.Environ(), "DATABASE_URL="+testdb.URL(t))
	out, err := command(env, "practice", "create", "--name", "Glow Aesthetics", "--admin-email", "owner@glow.example").Output()
	if err != nil {
		t.Fatalf("practice create: %v", err)
	}
	var created struct {
		Slug string `json:"slug"`
	}
	json.Unmarshal(out, &created)

	type settings struct {
		BrandColor     string   `json:"brand_color"`
		BookingURL     string   `json:"booking_url"`
		AllowedOrigins []string `json:"allowed_origins"`
		FriendOffer    struct {
			Description string `json:"description"`
			WelcomeCode string `json:"welcome_code"`
		} `json:"friend_offer"`
	}
	change := func(args ...string) settings {
		t.Helper()
		out, err := command(env, append([]string{"practice", "settings", "--slug", created.Slug}, args...)...).Output()
		if err != nil {
			t.Fatalf("practice settings %q: %v", args, err)
		}
		var s settings
		if err := json.Unmarshal(out, &s); err != nil {
			t.Fatalf("practice settings printed %s", out)
		}
		return s
	}

	s := change("--allowed-origins", "https://glowaesthetics.com/,http://localhost:8081", "--offer", "$25 off your first facial", "--welcome-code", "WELCOME25")
	origins := []string{"https://glowaesthetics.com", "http://localhost:8081"}
	if !slices.Equal(s.AllowedOrigins, origins) || s.FriendOffer.WelcomeCode != "WELCOME25" || s.BrandColor != "#6b4eff" {
		t.Errorf("settings = %+v", s)
	}
	s = change("--brand-color", "#0B6E4F", "--booking-url", "https://book.glow.example")
	if s.BrandColor != "#0b6e4f" || s.BookingURL != "https://book.glow.example" || !slices.Equal(s.AllowedOrigins, origins) ||
		s.FriendOffer.Description != "$25 off your first facial" {
		t.Errorf("after changing the colour and booking link: %+v, want the rest kept", s)
	}

	out, err = command(env, "practice", "settings", "--slug", created.Slug, "--logo-url", "http://glow.example/logo.png").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "logo_url") {
		t.Errorf("an http logo was accepted, or refused without naming logo_url: %v %s", err, out)
	}
}
