package referral_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// converted sets up a practice whose friend Fran converted invoice INV-1 of 250.00.
func converted(tb testing.TB, s *referral.Service) (*referral.Practice, *referral.Conversion) {
	tb.Helper()
	p := mustPractice(tb, s)
	jane := mustAdvocate(tb, s, p, "Jane Park", "jane@example.com")
	mustReferral(tb, s, p, jane, "Fran Fields", "fran@example.com")
	return p, mustConvert(tb, s, p, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-1", Email: "fran@example.com", Amount: "250.00"})
}

// A full refund, or refunds that leave less than the minimum paid, reverse the conversion and
// void its reward.
func TestReverseConversion(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	for _, tc := range []struct {
		name    string
		refunds []referral.Amount // in order; the last one reverses
	}{
		{"no amount is a full refund", []referral.Amount{""}},
		{"the whole amount", []referral.Amount{"250.00"}},
		{"more than the amount", []referral.Amount{"300"}},
		{"all but a cent, then the last cent", []referral.Amount{"249.99", "0.01"}},
		{"partial refunds adding up", []referral.Amount{"100", "100", "50"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Set(epoch)
			p, conv := converted(t, s)
			c.Add(48 * time.Hour)
			var res *referral.ReversalResult
			for i, amount := range tc.refunds {
				res = mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-" + string(rune('A'+i)), AmountRefunded: refundAmount(amount)})
				if last := i == len(tc.refunds)-1; !last && res.Outcome != referral.OutcomePartialRefund {
					t.Fatalf("refund %d of %s = %+v, want partial_refund", i+1, amount, res)
				}
			}
			got := res.Conversion
			if res.Outcome != referral.OutcomeReversed || res.Replayed || res.InvoiceID != "INV-1" || got == nil || got.ID != conv.ID {
				t.Fatalf("result = %+v, want %s reversed", res, conv.ID)
			}
			now := epoch.Add(48 * time.Hour)
			if got.Status != referral.Reversed || got.ReversedAt == nil || !got.ReversedAt.Equal(now) {
				t.Errorf("conversion = %+v, want reversed at %v", got, now)
			}
			if r := got.Reward; r.Status != referral.Voided || r.VoidedAt == nil || !r.VoidedAt.Equal(now) || r.ClawbackOwed {
				t.Errorf("reward = %+v, want voided", r)
			}
			if list := mustConversions(t, s, p); list[0].Status != referral.Reversed || list[0].Reward.Status != referral.Voided {
				t.Errorf("stored conversion = %+v", list[0])
			}
			if refs := mustReferrals(t, s, p, referral.ReferralFilter{}); refs[0].Status != referral.Pending || refs[0].ConvertedAt != nil {
				t.Errorf("referral = %+v, want pending again", refs[0])
			}
			_, err := s.RedeemReward(t.Context(), p, conv.Reward.Code)
			wantError(t, err, referral.ERewardVoided)

			wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded, referral.ConversionReversed)
			e := mustEvents(t, s, p, referral.ConversionReversed)[0]
			var data struct {
				ID     string `json:"id"`
				Status string `json:"status"`
				Reward struct {
					Status string `json:"status"`
				} `json:"reward"`
			}
			if err := json.Unmarshal(e.Data, &data); err != nil {
				t.Fatal(err)
			}
			if data.ID != conv.ID || data.Status != referral.Reversed || data.Reward.Status != referral.Voided {
				t.Errorf("conversion.reversed data = %s", e.Data)
			}
		})
	}
}

// A partial refund that leaves at least the minimum paid is recorded and changes nothing.
func TestReverseConversionPartialRefund(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	for _, tc := range []struct {
		name     string
		minimum  int64
		refunds  []referral.Amount
		reversed bool
	}{
		{"a cent left of the default minimum", 1, []referral.Amount{"249.99"}, false},
		{"nothing left", 1, []referral.Amount{"249.99", "0.01"}, true},
		{"150 left of a 100 minimum", 100_00, []referral.Amount{"100"}, false},
		{"exactly the minimum left", 100_00, []referral.Amount{"100", "50"}, false},
		{"50 left of a 100 minimum", 100_00, []referral.Amount{"100", "100"}, true},
		{"one refund leaving less than the minimum", 100_00, []referral.Amount{"150.01"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, conv := converted(t, s)
			p.Reward.Minimum = referral.Money{Minor: tc.minimum, Currency: "USD"}
			mustSavePractice(t, s, p)
			var res *referral.ReversalResult
			for i, amount := range tc.refunds {
				res = mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-" + string(rune('A'+i)), AmountRefunded: refundAmount(amount)})
			}
			if tc.reversed {
				if res.Outcome != referral.OutcomeReversed {
					t.Errorf("outcome = %q, want reversed", res.Outcome)
				}
				return
			}
			if res.Outcome != referral.OutcomePartialRefund || res.Conversion == nil || res.Conversion.ID != conv.ID {
				t.Fatalf("result = %+v, want partial_refund of %s", res, conv.ID)
			}
			list := mustConversions(t, s, p)
			if list[0].Status != referral.Rewarded || list[0].ReversedAt != nil || list[0].Reward.Status != referral.Issued {
				t.Errorf("conversion after a partial refund = %+v (reward %+v), want unchanged", list[0], list[0].Reward)
			}
			wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded)
		})
	}
}

// A redeemed reward cannot be voided: it stays redeemed and owes a clawback in credit.
func TestReverseConversionRedeemedReward(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p, conv := converted(t, s)
	if _, err := s.RedeemReward(t.Context(), p, conv.Reward.Code); err != nil {
		t.Fatal(err)
	}
	res := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1"})
	if res.Outcome != referral.OutcomeReversed {
		t.Fatalf("outcome = %q, want reversed", res.Outcome)
	}
	r := mustRewards(t, s, p, referral.RewardFilter{})[0]
	if r.Status != referral.Redeemed || !r.ClawbackOwed || r.VoidedAt != nil || r.RedeemedAt == nil {
		t.Errorf("reward = %+v, want redeemed with clawback_owed", r)
	}
	if list := mustConversions(t, s, p); list[0].Status != referral.Reversed {
		t.Errorf("conversion status = %q, want reversed", list[0].Status)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded,
		referral.RewardRedeemed, referral.ConversionReversed)
}

// A capped reward has nothing to void; the conversion is reversed all the same.
func TestReverseConversionCappedReward(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	p.Reward.AnnualCap = 0
	mustSavePractice(t, s, p)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	if conv := mustConvert(t, s, p, pay("INV-1", "fran@example.com")); conv.Reward.Status != referral.Capped {
		t.Fatalf("reward = %+v, want capped", conv.Reward)
	}
	res := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1"})
	if res.Outcome != referral.OutcomeReversed || res.Conversion.Reward.Status != referral.Capped || res.Conversion.Reward.ClawbackOwed {
		t.Errorf("result = %+v (reward %+v), want reversed with the reward still capped", res, res.Conversion.Reward)
	}
}

// A refund that arrives before its payment is remembered, so the payment does not reward.
func TestRefundBeforePayment(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")

	res := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-9", RefundID: "RF-1"})
	if res.Outcome != referral.OutcomeNoConversion || res.Conversion != nil || res.Replayed {
		t.Fatalf("result = %+v, want no_conversion", res)
	}
	got := mustRecord(t, s, p, pay("INV-9", "fran@example.com"))
	if got.Outcome != referral.OutcomeRefunded || !got.Matched || got.Conversion != nil {
		t.Fatalf("payment after its refund = %+v, want refunded", got)
	}
	if n := len(mustConversions(t, s, p)); n != 0 {
		t.Errorf("%d conversions, want none", n)
	}
	if n := len(mustRewards(t, s, p, referral.RewardFilter{})); n != 0 {
		t.Errorf("%d rewards, want none", n)
	}
	if refs := mustReferrals(t, s, p, referral.ReferralFilter{}); refs[0].Status != referral.Pending {
		t.Errorf("referral status = %q, want still pending", refs[0].Status)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated)

	// The friend's next, unrefunded invoice converts.
	mustConvert(t, s, p, pay("INV-10", "fran@example.com"))

	// A small partial refund before the payment leaves it qualifying.
	mustReferral(t, s, p, jane, "Gus Gray", "gus@example.com")
	mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-11", AmountRefunded: new(referral.Amount("20"))})
	mustConvert(t, s, p, pay("INV-11", "gus@example.com"))
}

// Reverse Conversion is idempotent by (invoice_id, refund_id).
func TestReverseConversionReplays(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p, conv := converted(t, s)
	p.Reward.Minimum = referral.Money{Minor: 100_00, Currency: "USD"}
	mustSavePractice(t, s, p)

	for _, tc := range []struct {
		name     string
		ev       referral.RefundEvent
		outcome  string
		replayed bool
	}{
		{"partial refund", referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-1", AmountRefunded: new(referral.Amount("100"))}, referral.OutcomePartialRefund, false},
		{"same partial refund again counts once", referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-1", AmountRefunded: new(referral.Amount("100"))}, referral.OutcomePartialRefund, true},
		{"second partial refund reverses", referral.RefundEvent{InvoiceID: " INV-1 ", RefundID: " RF-2 ", AmountRefunded: new(referral.Amount("100"))}, referral.OutcomeReversed, false},
		{"second refund replayed", referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-2", AmountRefunded: new(referral.Amount("100"))}, referral.OutcomeReversed, true},
		{"first refund replayed keeps its outcome", referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-1"}, referral.OutcomePartialRefund, true},
		{"another refund", referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-3"}, referral.OutcomeAlreadyReversed, false},
		{"no refund id", referral.RefundEvent{InvoiceID: "INV-1"}, referral.OutcomeAlreadyReversed, false},
		{"no refund id, a year later", referral.RefundEvent{InvoiceID: "INV-1"}, referral.OutcomeAlreadyReversed, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "no refund id, a year later" {
				c.Add(365 * 24 * time.Hour)
			}
			res := mustReverse(t, s, p, tc.ev)
			if res.Outcome != tc.outcome || res.Replayed != tc.replayed {
				t.Fatalf("result = %+v, want %s (replayed %v)", res, tc.outcome, tc.replayed)
			}
			if res.Conversion == nil || res.Conversion.ID != conv.ID {
				t.Errorf("conversion = %+v, want %s", res.Conversion, conv.ID)
			}
		})
	}
	if n := len(mustEvents(t, s, p, referral.ConversionReversed)); n != 1 {
		t.Errorf("%d conversion.reversed events, want 1", n)
	}

	t.Run("refund with no conversion replayed", func(t *testing.T) {
		first := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-404", RefundID: "RF-1"})
		again := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-404", RefundID: "RF-1"})
		if first.Outcome != referral.OutcomeNoConversion || first.Replayed ||
			again.Outcome != referral.OutcomeNoConversion || !again.Replayed || again.Conversion != nil {
			t.Errorf("first = %+v, again = %+v", first, again)
		}
	})
}

func TestReverseConversionRefusesBadInput(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p, _ := converted(t, s)
	for _, tc := range []struct {
		name  string
		ev    referral.RefundEvent
		field string
	}{
		{"no invoice_id", referral.RefundEvent{RefundID: "RF-1"}, "invoice_id"},
		{"blank invoice_id", referral.RefundEvent{InvoiceID: "  "}, "invoice_id"},
		{"garbage amount", referral.RefundEvent{InvoiceID: "INV-1", AmountRefunded: new(referral.Amount("all of it"))}, "amount_refunded"},
		{"zero amount", referral.RefundEvent{InvoiceID: "INV-1", AmountRefunded: new(referral.Amount("0"))}, "amount_refunded"},
		{"negative amount", referral.RefundEvent{InvoiceID: "INV-1", AmountRefunded: new(referral.Amount("-250"))}, "amount_refunded"},
		{"a fraction of a cent", referral.RefundEvent{InvoiceID: "INV-1", AmountRefunded: new(referral.Amount("1.005"))}, "amount_refunded"},
		{"blank amount, not a full refund", referral.RefundEvent{InvoiceID: "INV-1", AmountRefunded: new(referral.Amount(""))}, "amount_refunded"},
		{"NUL in invoice_id", referral.RefundEvent{InvoiceID: "INV-1\x00"}, "invoice_id"},
		{"invoice_id not UTF-8", referral.RefundEvent{InvoiceID: "INV-\xff"}, "invoice_id"},
		{"NUL in refund_id", referral.RefundEvent{InvoiceID: "INV-1", RefundID: "\x00"}, "refund_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.ReverseConversion(t.Context(), p, tc.ev)
			wantError(t, err, referral.EInvalid, tc.field)
			if res != nil {
				t.Errorf("refused refund answered %+v", res)
			}
		})
	}
	if list := mustConversions(t, s, p); list[0].Status != referral.Rewarded {
		t.Errorf("conversion status = %q, want rewarded", list[0].Status)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded)
}

// refundAmount is amount as a refund carries it: none ("") means a full refund.
func refundAmount(amount referral.Amount) *referral.Amount {
	if amount == "" {
		return nil
	}
	return &amount
}
