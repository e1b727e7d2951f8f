package referral_test

import (
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Practice B can neither see nor change practice A's data: A's ids are missing to B, exactly
// like ids that never existed, and nothing of A's appears in B's lists.
func TestTenancy(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	a, b := mustPractice(t, s), mustPractice(t, s)

	jane := mustAdvocate(t, s, a, "Jane Park", "jane@example.com")
	fran := mustReferral(t, s, a, jane, "Frances Fields", "fran@example.com")
	gus := mustReferral(t, s, a, jane, "Gus Gray", "gus@example.com")
	conv := mustConvert(t, s, a, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-1", Email: "fran@example.com", Amount: "250"})
	mustRecord(t, s, a, referral.PaymentEvent{InvoiceID: "INV-2", Email: "g.gray@example.com", Name: "Gus Gray", Amount: "250"})
	nearMiss := mustNearMisses(t, s, a)[0]
	name, disabled := "Hijacked", referral.Disabled

	for _, tc := range []struct {
		name   string
		do     func(t *testing.T) error
		code   string
		fields []string
	}{
		{"read advocate", func(t *testing.T) error {
			_, err := s.Advocate(t.Context(), b, jane.ID)
			return err
		}, referral.ENotFound, nil},
		{"update advocate", func(t *testing.T) error {
			_, err := s.UpdateAdvocate(t.Context(), b, jane.ID, referral.AdvocateChange{Name: &name, Status: &disabled})
			return err
		}, referral.ENotFound, nil},
		{"claim by advocate id", func(t *testing.T) error {
			_, _, err := s.ClaimReferral(t.Context(), b, referral.NewReferral{AdvocateID: jane.ID, FriendName: "Hal Hill", FriendEmail: "hal@example.com"})
			return err
		}, referral.EInvalid, []string{"advocate_id"}},
		{"claim by code", func(t *testing.T) error {
			_, _, err := s.ClaimReferral(t.Context(), b, referral.NewReferral{ReferralCode: jane.Code, FriendName: "Hal Hill", FriendEmail: "hal@example.com"})
			return err
		}, referral.EInvalid, []string{"referral_code"}},
		{"redeem reward", func(t *testing.T) error {
			_, err := s.RedeemReward(t.Context(), b, conv.Reward.Code)
			return err
		}, referral.ENotFound, nil},
		{"convert by hand", func(t *testing.T) error {
			_, err := s.ConvertManually(t.Context(), b, referral.ManualConversion{ReferralID: gus.ID})
			return err
		}, referral.EInvalid, []string{"referral_id"}},
		{"confirm near-miss", func(t *testing.T) error {
			_, err := s.ConfirmNearMiss(t.Context(), b, nearMiss.ID)
			return err
		}, referral.ENotFound, nil},
		{"dismiss near-miss", func(t *testing.T) error {
			return s.DismissNearMiss(t.Context(), b, nearMiss.ID)
		}, referral.ENotFound, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, tc.do(t), tc.code, tc.fields...)
		})
	}

	t.Run("payments, refunds and codes do not cross practices", func(t *testing.T) {
		// A's friend paying at B is nobody B knows, even with A's advocate's code.
		res := mustRecord(t, s, b, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-1", Email: "gus@example.com",
			Name: "Gus Gray", Amount: "250", ReferralCode: jane.Code})
		if res.Outcome != referral.OutcomeNoMatch || res.Replayed || res.Conversion != nil {
			t.Errorf("A's friend paying at B = %+v, want no_match", res)
		}
		// B refunding an invoice with A's invoice id touches nothing of A's.
		rv := mustReverse(t, s, b, referral.RefundEvent{InvoiceID: "INV-1"})
		if rv.Outcome != referral.OutcomeNoConversion || rv.Conversion != nil {
			t.Errorf("B's refund = %+v, want no_conversion", rv)
		}
	})

	t.Run("B sees nothing of A", func(t *testing.T) {
		if n := len(mustAdvocates(t, s, b, referral.AdvocateFilter{})); n != 0 {
			t.Errorf("B lists %d advocates", n)
		}
		if n := len(mustAdvocates(t, s, b, referral.AdvocateFilter{Code: jane.Code})); n != 0 {
			t.Errorf("B finds A's advocate by code")
		}
		if n := len(mustReferrals(t, s, b, referral.ReferralFilter{})); n != 0 {
			t.Errorf("B lists %d referrals", n)
		}
		if n := len(mustConversions(t, s, b)); n != 0 {
			t.Errorf("B lists %d conversions", n)
		}
		if n := len(mustRewards(t, s, b, referral.RewardFilter{})); n != 0 {
			t.Errorf("B lists %d rewards", n)
		}
		if n := len(mustNearMisses(t, s, b)); n != 0 {
			t.Errorf("B lists %d near-misses", n)
		}
		if n := len(mustEvents(t, s, b, "")); n != 0 {
			t.Errorf("B lists %d events", n)
		}
		if n, _ := s.ActiveAdvocates(t.Context(), b); n != 0 {
			t.Errorf("B counts %d active advocates", n)
		}
	})

	t.Run("A is untouched", func(t *testing.T) {
		got, err := s.Advocate(t.Context(), a, jane.ID)
		if err != nil || got.Name != "Jane Park" || got.Status != referral.Active {
			t.Errorf("A's advocate = %+v, %v", got, err)
		}
		list := mustConversions(t, s, a)
		if len(list) != 1 || list[0].Status != referral.Rewarded || list[0].Reward.Status != referral.Issued {
			t.Errorf("A's conversions = %+v", list)
		}
		if n := len(mustNearMisses(t, s, a)); n != 1 {
			t.Errorf("A has %d near-misses, want 1", n)
		}
		if refs := mustReferrals(t, s, a, referral.ReferralFilter{}); len(refs) != 2 ||
			!(refs[0].ID == gus.ID && refs[1].ID == fran.ID || refs[0].ID == fran.ID && refs[1].ID == gus.ID) {
			t.Errorf("A's referrals = %+v", refs)
		}
		wantEvents(t, s, a, referral.AdvocateCreated, referral.ReferralCreated, referral.ReferralCreated, referral.ConversionRecorded)
	})

	t.Run("the same emails are separate people in each practice", func(t *testing.T) {
		bJane, created, err := s.CreateAdvocate(t.Context(), b, referral.NewAdvocate{Name: "Jane Park", Email: "jane@example.com"})
		if err != nil || !created || bJane.ID == jane.ID || bJane.Code == jane.Code {
			t.Fatalf("B's Jane = %+v, %v, %v, want a new advocate", bJane, created, err)
		}
		mustReferral(t, s, b, bJane, "Frances Fields", "fran@example.com")
		if c := mustConvert(t, s, b, referral.PaymentEvent{InvoiceID: "INV-B1", Email: "fran@example.com", Amount: "250"}); c.ID == conv.ID {
			t.Errorf("B's conversion reused A's")
		}
	})
}
