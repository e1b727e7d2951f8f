package referral_test

import (
	"slices"
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
	practices, err := s.WebhookPractices(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(practices, func(q referral.Practice) bool { return q.ID == p.ID })
	if i < 0 {
		t.Fatal("the practice is not among the webhook practices")
	}
	rotated := practices[i]
	if got := rotated.WebhookSecrets(clock.Now()); !slices.Equal(got, []string{fresh, old}) {
		t.Errorf("during the overlap: %v", got)
	}
	if got := rotated.WebhookSecrets(clock.Now().Add(61 * time.Minute)); !slices.Equal(got, []string{fresh}) {
		t.Errorf("after the overlap: %v", got)
	}
}
