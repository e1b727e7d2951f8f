package referral_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// A rotated secret keeps working for the overlap, so the sender can switch without losing a
// payment; after it, only the new secret is accepted.
func TestRotateWebhookSecret(t *testing.T) {
	t.Parallel()
	s, clock := mustService(t)
	p := mustPractice(t, s)
	old := p.WebhookSecret
	fresh, err := s.RotateWebhookSecret(t.Context(), p, time.Hour)
	if err != nil || fresh == old {
		t.Fatalf("rotate = %q, %v", fresh, err)
	}
	rotated, err := s.WebhookPractice(t.Context(), p.ID)
	if err != nil || rotated == nil {
		t.Fatalf("the practice is not found by its id: %v, %v", rotated, err)
	}
	if got := rotated.WebhookSecrets(clock.Now()); !slices.Equal(got, []string{fresh, old}) {
		t.Errorf("during the overlap: %v", got)
	}
	if got := rotated.WebhookSecrets(clock.Now().Add(61 * time.Minute)); !slices.Equal(got, []string{fresh}) {
		t.Errorf("after the overlap: %v", got)
	}
}

// A webhook's URL names its practice: a real id finds it and its secrets; an id no practice has,
// or one that is not an id at all (the URL is anyone's to write), finds nothing and fails
// nothing, so the server answers it exactly like a wrong signature.
func TestWebhookPractice(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	got, err := s.WebhookPractice(t.Context(), p.ID)
	if err != nil || got == nil || got.ID != p.ID || got.WebhookSecret != p.WebhookSecret {
		t.Fatalf("WebhookPractice(%s) = %+v, %v", p.ID, got, err)
	}
	unknown := referral.NewID("prc", time.Now())
	for _, id := range []string{unknown, "", "prc_", "payments", "adv_" + unknown[4:], strings.ToLower(p.ID),
		p.ID + "X", p.ID[:len(p.ID)-1] + "\x00", p.ID[:len(p.ID)-1] + "\xff", "prc_' OR '1'='1"} {
		if got, err := s.WebhookPractice(t.Context(), id); got != nil || err != nil {
			t.Errorf("WebhookPractice(%q) = %+v, %v; want nothing and no error", id, got, err)
		}
	}
}
