package referral_test

import (
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// The payment rules practices hit on ordinary days: one referral per invoice, a second chance
// after a refund, dates without a time, currencies, and partial refunds without ids.

// An invoice converts one referral at most, whatever the way in, so refunding it can never
// leave a reward standing.
func TestInvoiceConvertsOneReferral(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	gus := mustReferral(t, s, p, jane, "Gus Green", "gus@example.com")
	c.Add(time.Hour)
	fran := mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-1", Email: "fran@example.com", Amount: "250"})

	// By hand: refused, and nothing written.
	_, err := s.ConvertManually(t.Context(), p, referral.ManualConversion{ReferralID: gus.ID, InvoiceID: "INV-1"})
	wantError(t, err, referral.EInvoiceConverted)
	// Another payer's payment of the same invoice: its own outcome, with a reason.
	res := mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-2", Email: "gus@example.com", Amount: "100"})
	if res.Outcome != referral.OutcomeInvoiceConverted || res.Conversion != nil || res.Reason == nil || !strings.Contains(*res.Reason, "INV-1") {
		t.Fatalf("second payer of INV-1 = %+v, want invoice_already_converted with a reason", res)
	}
	// A near-miss on the same invoice: its confirmation is refused and the near-miss kept.
	mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-3", Email: "g.green@example.com", Name: "Gus Green", Amount: "20"})
	misses := mustNearMisses(t, s, p)
	if len(misses) != 1 {
		t.Fatalf("near-misses = %+v, want one", misses)
	}
	_, err = s.ConfirmNearMiss(t.Context(), p, misses[0].ID)
	wantError(t, err, referral.EInvoiceConverted)
	if refs := mustReferrals(t, s, p, referral.ReferralFilter{Status: referral.Pending}); len(refs) != 1 || refs[0].ID != gus.ID {
		t.Errorf("pending referrals = %+v, want Gus's still pending", refs)
	}
	if n := len(mustConversions(t, s, p)); n != 1 {
		t.Errorf("%d conversions, want 1", n)
	}
	earned := 0
	for _, m := range mustMessages(t, s, p) {
		if m.Kind == referral.RewardEarned {
			earned++
		}
	}
	if earned != 1 {
		t.Errorf("%d reward emails, want 1", earned)
	}

	// Refunding the invoice leaves no reward standing; Gus can still convert on his own invoice.
	if rev := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1"}); rev.Outcome != referral.OutcomeReversed || rev.Conversion.ID != fran.ID {
		t.Fatalf("refund of INV-1 = %+v, want Fran's conversion reversed", rev)
	}
	if list := mustRewards(t, s, p, referral.RewardFilter{Status: referral.Issued}); len(list) != 0 {
		t.Errorf("issued rewards after the refund = %+v, want none", list)
	}
	mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-2", Email: "gus@example.com", Amount: "250"})
}

// A full refund puts the referral back to pending: the friend's next qualifying payment
// converts it again, with a new conversion and reward; the first stays reversed.
func TestRefundedReferralConvertsAgain(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	ref := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	c.Add(time.Hour)
	first := mustConvert(t, s, p, pay("INV-1", "fran@example.com"))
	c.Add(24 * time.Hour)
	mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1"})
	if refs := mustReferrals(t, s, p, referral.ReferralFilter{}); refs[0].Status != referral.Pending || refs[0].ConvertedAt != nil {
		t.Fatalf("referral after the refund = %+v, want pending", refs[0])
	}

	// The refunded invoice paid again still rewards nobody; a replay answers as the first time.
	if res := mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-9", Email: "fran@example.com", Amount: "250"}); res.Outcome != referral.OutcomeRefunded || res.Reason == nil {
		t.Errorf("the refunded invoice paid again = %+v, want refunded with a reason", res)
	}
	if res := mustRecord(t, s, p, pay("INV-1", "fran@example.com")); !res.Replayed || res.Conversion == nil || res.Conversion.ID != first.ID || res.Conversion.Status != referral.Reversed {
		t.Errorf("replay of the first payment = %+v, want the reversed conversion", res)
	}

	c.Add(24 * time.Hour)
	second := mustConvert(t, s, p, pay("INV-2", "fran@example.com"))
	if second.ID == first.ID || second.ReferralID != ref.ID || second.Reward == nil || second.Reward.Status != referral.Issued || second.Reward.Code == first.Reward.Code {
		t.Fatalf("second conversion = %+v, want a new one with a new reward", second)
	}
	if refs := mustReferrals(t, s, p, referral.ReferralFilter{}); refs[0].Status != referral.Converted {
		t.Errorf("referral = %+v, want converted", refs[0])
	}
	if res := mustRecord(t, s, p, pay("INV-3", "fran@example.com")); res.Outcome != referral.OutcomeAlreadyRewarded || res.Conversion == nil || res.Conversion.ID != second.ID {
		t.Errorf("a third invoice = %+v, want already_rewarded naming the standing conversion", res)
	}
	// Refunding the first invoice again changes nothing; refunding the second reverses it.
	if rev := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-2"}); rev.Outcome != referral.OutcomeAlreadyReversed || rev.Reason == nil {
		t.Errorf("second refund of INV-1 = %+v, want already_reversed with a reason", rev)
	}
	if rev := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-2"}); rev.Outcome != referral.OutcomeReversed || rev.Conversion.ID != second.ID || rev.Reason != nil {
		t.Errorf("refund of INV-2 = %+v, want the second conversion reversed", rev)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded,
		referral.ConversionReversed, referral.ConversionRecorded, referral.ConversionReversed)
}

// A date without a time is the whole day in the practice's time zone: a friend who claims and
// pays on the same day converts, at any hour.
func TestDateOnlyPaymentOnTheClaimDay(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	newYork, _ := time.LoadLocation("America/New_York")
	for _, hour := range []int{0, 9, 23} {
		day := time.Date(epoch.Year(), epoch.Month(), epoch.Day(), hour, 30, 0, 0, newYork)
		c.Set(day)
		p := mustPractice(t, s)
		jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
		mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
		c.Add(10 * time.Minute)
		ev := pay("INV-1", "fran@example.com")
		ev.PaidAt = day.Format(time.DateOnly)
		res := mustRecord(t, s, p, ev)
		if res.Outcome != referral.OutcomeConverted {
			t.Errorf("claimed at %s, paid the same day = %+v, want converted", day.Format(time.Kitchen), res)
		}
	}
}

// The yearly cap counts rewards by the payment's year in the practice's time zone, not by when
// the payment reached the server.
func TestCapCountsByPaymentYear(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	newYork, _ := time.LoadLocation("America/New_York")
	year := epoch.Year()
	newYearsEve := time.Date(year, time.December, 31, 22, 0, 0, 0, newYork) // already next year in UTC
	c.Set(newYearsEve.AddDate(0, -1, 0))
	p := mustPractice(t, s)
	p.Reward.AnnualCap = 1
	mustSavePractice(t, s, p)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	for _, f := range []string{"fran", "gus", "hal"} {
		mustReferral(t, s, p, jane, f+" Fields", f+"@example.com")
	}
	c.Set(newYearsEve.AddDate(0, 0, 3)) // the payments arrive in January
	paid := func(email string, at time.Time) *referral.Reward {
		ev := pay("INV-"+email, email)
		ev.PaidAt = at.Format(time.RFC3339)
		return mustConvert(t, s, p, ev).Reward
	}
	if r := paid("fran@example.com", newYearsEve); r.Status != referral.Issued {
		t.Errorf("December's payment = %+v, want issued (the year's first)", r)
	}
	if r := paid("gus@example.com", newYearsEve.Add(3*time.Hour)); r.Status != referral.Issued {
		t.Errorf("January's payment = %+v, want issued (the new year's first)", r)
	}
	if r := paid("hal@example.com", newYearsEve.Add(-time.Hour)); r.Status != referral.Capped {
		t.Errorf("a second December payment = %+v, want capped", r)
	}
}

// A payment in another currency than the practice's answers its own outcome, says why, and
// leaves the referral for a payment in the practice's currency.
func TestCurrencyMismatch(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	c.Add(time.Hour)
	ev := pay("INV-1", "fran@example.com")
	ev.Currency = "EUR"
	res := mustRecord(t, s, p, ev)
	if res.Outcome != referral.OutcomeCurrencyMismatch || !res.Matched || res.Reason == nil ||
		!strings.Contains(*res.Reason, "EUR") || !strings.Contains(*res.Reason, "USD") {
		t.Fatalf("EUR payment = %+v, want currency_mismatch naming both currencies", res)
	}
	if again := mustRecord(t, s, p, ev); !again.Replayed || again.Outcome != referral.OutcomeCurrencyMismatch || again.Reason == nil {
		t.Errorf("replay = %+v, want the same outcome and reason", again)
	}
	mustConvert(t, s, p, pay("INV-2", "fran@example.com"))
}

// Every outcome but converted says why in a sentence; converted says nothing.
func TestOutcomesExplainThemselves(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	p.Reward.Minimum = referral.Money{Minor: 15000, Currency: "USD"}
	mustSavePractice(t, s, p)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	c.Add(time.Hour)
	for _, tc := range []struct {
		ev      referral.PaymentEvent
		outcome string
		says    string
	}{
		{referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@example.com", Amount: "120"}, referral.OutcomeBelowMinimum, "$120 is under this practice's minimum of $150"},
		{referral.PaymentEvent{InvoiceID: "INV-2", Email: "nobody@example.com", Amount: "120"}, referral.OutcomeNoMatch, "no referral"},
		{referral.PaymentEvent{InvoiceID: "INV-3", Email: "fran@example.com", Amount: "200", Status: "open"}, referral.OutcomeNotPaid, "not a paid one"},
		{referral.PaymentEvent{InvoiceID: "INV-4", Email: "fran@example.com", Amount: "200"}, referral.OutcomeConverted, ""},
	} {
		res := mustRecord(t, s, p, tc.ev)
		switch {
		case res.Outcome != tc.outcome:
			t.Errorf("%s: outcome %s, want %s", tc.ev.InvoiceID, res.Outcome, tc.outcome)
		case tc.says == "" && res.Reason != nil:
			t.Errorf("%s: reason %q, want none", tc.ev.InvoiceID, *res.Reason)
		case tc.says != "" && (res.Reason == nil || !strings.Contains(*res.Reason, tc.says)):
			t.Errorf("%s: reason %v, want one saying %q", tc.ev.InvoiceID, res.Reason, tc.says)
		}
	}
	if rev := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: "INV-9"}); rev.Outcome != referral.OutcomeNoConversion || rev.Reason == nil || !strings.Contains(*rev.Reason, "INV-9") {
		t.Errorf("refund of an invoice that converted nothing = %+v, want a reason naming it", rev)
	}
}

// Without a refund_id, partial refunds of different amounts are different refunds and add up;
// the same amount again is a replay.
func TestPartialRefundsWithoutIDsAddUp(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p, conv := converted(t, s)
	c.Add(24 * time.Hour)
	for i, step := range []struct {
		amount   referral.Amount
		outcome  string
		replayed bool
	}{
		{"50", referral.OutcomePartialRefund, false},
		{"50.00", referral.OutcomePartialRefund, true},
		{"100", referral.OutcomePartialRefund, false},
		{"99.99", referral.OutcomePartialRefund, false}, // 249.99 refunded: 0.01 left, the minimum
		{"100", referral.OutcomePartialRefund, true},
		{"0.01", referral.OutcomeReversed, false},
		{"0.01", referral.OutcomeReversed, true},
	} {
		res := mustReverse(t, s, p, referral.RefundEvent{InvoiceID: conv.InvoiceID, AmountRefunded: refundAmount(step.amount)})
		if res.Outcome != step.outcome || res.Replayed != step.replayed {
			t.Fatalf("refund %d of %s = %+v, want %s (replayed %v)", i+1, step.amount, res, step.outcome, step.replayed)
		}
	}
	if n := len(mustEvents(t, s, p, referral.ConversionReversed)); n != 1 {
		t.Errorf("%d conversion.reversed events, want 1", n)
	}
}
