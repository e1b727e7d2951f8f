package referral_test

import (
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// A refund always wins over a reward: an invoice refunded before anyone converts it by hand,
// or confirms its near-miss, cannot convert a referral any more.
func TestRefundedInvoiceCannotConvertByHand(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)

	t.Run("near-miss", func(t *testing.T) {
		p := mustPractice(t, s)
		jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
		mustReferral(t, s, p, jane, "Frances Fields", "fran@example.com")
		ev := pay("INV-1", "fran.fields@work.example")
		ev.Name = "Fran Fields"
		if res := mustRecord(t, s, p, ev); res.Outcome != referral.OutcomeNearMiss {
			t.Fatalf("payment = %+v, want a near-miss", res)
		}
		mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1"})
		_, err := s.ConfirmNearMiss(t.Context(), p, mustNearMisses(t, s, p)[0].ID)
		wantError(t, err, referral.EPaymentRefunded)
		if n := len(mustRewards(t, s, p, referral.RewardFilter{})); n != 0 {
			t.Errorf("%d rewards, want none", n)
		}
	})

	t.Run("manual", func(t *testing.T) {
		p := mustPractice(t, s)
		jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
		ref := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
		mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-9"})
		_, err := s.ConvertManually(t.Context(), p, referral.ManualConversion{ReferralID: ref.ID, InvoiceID: "INV-9", Amount: "120"})
		wantError(t, err, referral.EPaymentRefunded)
		wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated)
	})
}

// Names are trimmed: a name of spaces is no name.
func TestBlankNamesRefused(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	_, _, err := s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "   ", Email: "jane@example.com"})
	wantError(t, err, referral.EInvalid, "name")
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	_, _, err = s.ClaimReferral(t.Context(), p, referral.NewReferral{AdvocateID: jane.ID, FriendName: " \t", FriendEmail: "fran@example.com"})
	wantError(t, err, referral.EInvalid, "friend_name")
	blank := "  "
	_, err = s.UpdateAdvocate(t.Context(), p, jane.ID, referral.AdvocateChange{Name: &blank})
	wantError(t, err, referral.EInvalid, "name")
}
