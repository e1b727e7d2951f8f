package referral_test

import (
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// The front desk marks a referral converted with one tap.
func TestConvertManually(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	ref := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")

	res, err := s.ConvertManually(t.Context(), p, referral.ManualConversion{ReferralID: " " + ref.ID + " "})
	if err != nil {
		t.Fatal(err)
	}
	conv := res.Conversion
	if res.Outcome != referral.OutcomeConverted || !res.Matched || res.Replayed || !res.Created() || conv == nil {
		t.Fatalf("result = %+v", res)
	}
	if conv.ReferralID != ref.ID || conv.AdvocateID != jane.ID || conv.Source != referral.SourceManual ||
		conv.Status != referral.Rewarded || !strings.HasPrefix(conv.InvoiceID, "manual-") || res.InvoiceID != conv.InvoiceID ||
		conv.Amount != (referral.Money{Currency: "USD"}) || !conv.PaidAt.Equal(epoch) {
		t.Errorf("conversion = %+v", conv)
	}
	if r := conv.Reward; r == nil || r.Status != referral.Issued || !rewardCode.MatchString(r.Code) || r.Amount.String() != "50.00" {
		t.Errorf("reward = %+v, want 50.00 issued", r)
	}
	if refs := mustReferrals(t, s, p, referral.ReferralFilter{}); refs[0].Status != referral.Converted {
		t.Errorf("referral status = %q, want converted", refs[0].Status)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded)

	_, err = s.ConvertManually(t.Context(), p, referral.ManualConversion{ReferralID: ref.ID})
	wantError(t, err, referral.EAlreadyConverted)
	// A payment for the friend now is already rewarded.
	if got := mustRecord(t, s, p, pay("INV-1", "fran@example.com")); got.Outcome != referral.OutcomeAlreadyRewarded {
		t.Errorf("payment after a manual conversion = %+v, want already_rewarded", got)
	}
	if n := len(mustConversions(t, s, p)); n != 1 {
		t.Errorf("%d conversions, want 1", n)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded)
}

// A manual conversion with an invoice is remembered under that invoice: Zapier sending the
// same payment later replays it rather than rewarding again, and a refund reverses it.
func TestConvertManuallyWithInvoice(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	ref := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")

	res, err := s.ConvertManually(t.Context(), p, referral.ManualConversion{ReferralID: ref.ID, InvoiceID: "INV-7", Amount: "180.5"})
	if err != nil {
		t.Fatal(err)
	}
	conv := res.Conversion
	if conv.InvoiceID != "INV-7" || conv.Amount.String() != "180.50" || conv.Amount.Currency != "USD" {
		t.Errorf("conversion = %+v", conv)
	}
	again := mustRecord(t, s, p, pay("INV-7", "fran@example.com"))
	if again.Outcome != referral.OutcomeConverted || !again.Replayed || again.Conversion == nil || again.Conversion.ID != conv.ID {
		t.Errorf("Zapier's copy = %+v, want a replay of %s", again, conv.ID)
	}
	if rv := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-7"}); rv.Outcome != referral.OutcomeReversed || rv.Conversion.ID != conv.ID {
		t.Errorf("refund = %+v, want %s reversed", rv, conv.ID)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded, referral.ConversionReversed)
}

func TestConvertManuallyRefusesBadInput(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	ref := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	for _, tc := range []struct {
		name  string
		in    referral.ManualConversion
		field string
	}{
		{"no referral", referral.ManualConversion{}, "referral_id"},
		{"unknown referral", referral.ManualConversion{ReferralID: "ref_nope"}, "referral_id"},
		{"bad amount", referral.ManualConversion{ReferralID: ref.ID, Amount: "lots"}, "amount"},
		{"zero amount", referral.ManualConversion{ReferralID: ref.ID, Amount: "0"}, "amount"},
		{"bad currency", referral.ManualConversion{ReferralID: ref.ID, Amount: "10", Currency: "DOLLAR"}, "currency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.ConvertManually(t.Context(), p, tc.in)
			wantError(t, err, referral.EInvalid, tc.field)
			if res != nil {
				t.Errorf("refused conversion answered %+v", res)
			}
		})
	}
	if n := len(mustConversions(t, s, p)); n != 0 {
		t.Errorf("%d conversions, want none", n)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated)
}
