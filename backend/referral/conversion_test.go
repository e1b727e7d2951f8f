package referral_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Bad payment events are refused with every invalid field named, and write nothing.
func TestRecordConversionRefusesBadInput(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	ok := pay("INV-1", "fran@example.com")
	with := func(change func(*referral.PaymentEvent)) referral.PaymentEvent {
		ev := ok
		change(&ev)
		return ev
	}

	for _, tc := range []struct {
		name   string
		ev     referral.PaymentEvent
		fields []string
	}{
		{"no invoice_id", with(func(ev *referral.PaymentEvent) { ev.InvoiceID = "" }), []string{"invoice_id"}},
		{"blank invoice_id", with(func(ev *referral.PaymentEvent) { ev.InvoiceID = "   " }), []string{"invoice_id"}},
		{"no amount", with(func(ev *referral.PaymentEvent) { ev.Amount = "" }), []string{"amount"}},
		{"zero amount", with(func(ev *referral.PaymentEvent) { ev.Amount = "0" }), []string{"amount"}},
		{"zero amount with decimals", with(func(ev *referral.PaymentEvent) { ev.Amount = "0.00" }), []string{"amount"}},
		{"negative amount", with(func(ev *referral.PaymentEvent) { ev.Amount = "-250.00" }), []string{"amount"}},
		{"garbage amount", with(func(ev *referral.PaymentEvent) { ev.Amount = "two hundred" }), []string{"amount"}},
		{"amount with another currency's sign", with(func(ev *referral.PaymentEvent) { ev.Amount = "€250" }), []string{"amount"}},
		{"amount with a decimal comma", with(func(ev *referral.PaymentEvent) { ev.Amount = "1,50" }), []string{"amount"}},
		{"amount with European thousands", with(func(ev *referral.PaymentEvent) { ev.Amount = "1.250,00" }), []string{"amount"}},
		{"amount with an exponent", with(func(ev *referral.PaymentEvent) { ev.Amount = "2.5e2" }), []string{"amount"}},
		{"too many decimals", with(func(ev *referral.PaymentEvent) { ev.Amount = "250.001" }), []string{"amount"}},
		{"extra zero decimals", with(func(ev *referral.PaymentEvent) { ev.Amount = "1.250" }), []string{"amount"}},
		{"decimals in a currency without them", with(func(ev *referral.PaymentEvent) { ev.Amount, ev.Currency = "250.5", "JPY" }), []string{"amount"}},
		{"unknown currency", with(func(ev *referral.PaymentEvent) { ev.Currency = "DOLLARS" }), []string{"currency"}},
		{"not a currency", with(func(ev *referral.PaymentEvent) { ev.Currency = "XXX" }), []string{"currency"}},
		{"bad paid_at", with(func(ev *referral.PaymentEvent) { ev.PaidAt = "yesterday" }), []string{"paid_at"}},
		{"bad email", with(func(ev *referral.PaymentEvent) { ev.Email = "fran at example" }), []string{"email"}},
		{"every field wrong at once", referral.PaymentEvent{Email: "nope", Amount: "abc", PaidAt: "11/23/2026"},
			[]string{"amount", "email", "invoice_id", "paid_at"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.RecordConversion(t.Context(), p, tc.ev)
			wantError(t, err, referral.EInvalid, tc.fields...)
			if res != nil {
				t.Errorf("refused event answered %+v", res)
			}
		})
	}
	if n := len(mustConversions(t, s, p)); n != 0 {
		t.Errorf("%d conversions after refusals, want none", n)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated)
	// Nothing was kept of the refused events: the good one converts.
	mustConvert(t, s, p, ok)
}

// Amounts arrive as JSON numbers or numeric strings, in major units of the event's currency
// (the practice's by default), and paid_at as RFC 3339 or a bare date in the practice's zone.
// A payment in another currency than the practice's cannot be compared with its minimum, so it
// does not qualify: it answers its own outcome.
func TestRecordConversionReadsAmountsCurrenciesAndTimes(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	newYork, _ := time.LoadLocation("America/New_York")
	for _, tc := range []struct {
		name       string
		practice   string // the practice's currency
		json       string
		outcome    string
		wantAmount string
		wantCur    string
		wantPaidAt time.Time
	}{
		{"numeric string", "USD", `{"amount": "250.00"}`, referral.OutcomeConverted, "250.00", "USD", epoch},
		{"whole numeric string", "USD", `{"amount": "250"}`, referral.OutcomeConverted, "250.00", "USD", epoch},
		{"JSON number", "USD", `{"amount": 250.5}`, referral.OutcomeConverted, "250.50", "USD", epoch},
		{"JSON integer", "USD", `{"amount": 250}`, referral.OutcomeConverted, "250.00", "USD", epoch},
		{"a sign and thousands", "USD", `{"amount": "$1,250.00"}`, referral.OutcomeConverted, "1250.00", "USD", epoch},
		{"spaces around", "USD", `{"amount": " 250.00 "}`, referral.OutcomeConverted, "250.00", "USD", epoch},
		{"null currency is the practice's", "USD", `{"amount": "19.99", "currency": null}`, referral.OutcomeConverted, "19.99", "USD", epoch},
		{"practice's currency in lower case", "USD", `{"amount": "19.99", "currency": "usd"}`, referral.OutcomeConverted, "19.99", "USD", epoch},
		{"euro practice by default", "EUR", `{"amount": "99.95"}`, referral.OutcomeConverted, "99.95", "EUR", epoch},
		{"yen practice, no decimals", "JPY", `{"amount": 12000}`, referral.OutcomeConverted, "12000", "JPY", epoch},
		{"paid_at RFC 3339 with offset", "USD", `{"amount": "250", "paid_at": "2026-06-01T09:30:00-04:00"}`,
			referral.OutcomeConverted, "250.00", "USD", time.Date(2026, 6, 1, 13, 30, 0, 0, time.UTC)},
		{"paid_at date, the day's end in the practice's zone", "USD", `{"amount": "250", "paid_at": "2026-06-01"}`,
			referral.OutcomeConverted, "250.00", "USD", time.Date(2026, 6, 2, 0, 0, 0, 0, newYork).Add(-time.Microsecond).UTC()},
		{"another currency does not qualify", "USD", `{"amount": "250", "currency": "EUR"}`, referral.OutcomeCurrencyMismatch, "", "", time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _, err := s.CreatePractice(t.Context(), referral.NewPractice{Name: tc.name, AdminEmail: "owner@example.com", Currency: tc.practice})
			if err != nil {
				t.Fatal(err)
			}
			c.Set(epoch.Add(-30 * 24 * time.Hour)) // claimed well before any paid_at here
			jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
			mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
			c.Set(epoch)
			var ev referral.PaymentEvent
			if err := json.Unmarshal([]byte(tc.json), &ev); err != nil {
				t.Fatal(err)
			}
			ev.InvoiceID, ev.Email = "INV-1", "fran@example.com"
			res := mustRecord(t, s, p, ev)
			if res.Outcome != tc.outcome {
				t.Fatalf("outcome = %+v, want %s", res, tc.outcome)
			}
			if tc.outcome != referral.OutcomeConverted {
				return
			}
			conv := res.Conversion
			if conv.Amount.String() != tc.wantAmount || conv.Amount.Currency != tc.wantCur {
				t.Errorf("amount = %s %s, want %s %s", conv.Amount, conv.Amount.Currency, tc.wantAmount, tc.wantCur)
			}
			if !conv.PaidAt.Equal(tc.wantPaidAt) {
				t.Errorf("paid_at = %v, want %v", conv.PaidAt, tc.wantPaidAt)
			}
			if r := conv.Reward; r.Amount.Currency != tc.practice {
				t.Errorf("reward = %s %s, want the practice's currency %s", r.Amount, r.Amount.Currency, tc.practice)
			}
		})
	}
}

// Paid statuses convert; any other status answers not_paid and writes nothing.
func TestRecordConversionStatus(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	for _, tc := range []struct {
		status string
		want   string
	}{
		{"", referral.OutcomeConverted},
		{"paid", referral.OutcomeConverted},
		{" PAID ", referral.OutcomeConverted},
		{"Completed", referral.OutcomeConverted},
		{"succeeded", referral.OutcomeConverted},
		{"open", referral.OutcomeNotPaid},
		{"draft", referral.OutcomeNotPaid},
		{"partially paid", referral.OutcomeNotPaid},
		{"refunded", referral.OutcomeNotPaid},
		{"void", referral.OutcomeNotPaid},
	} {
		t.Run("status "+tc.status, func(t *testing.T) {
			p := mustPractice(t, s)
			jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
			mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
			ev := pay("INV-1", "fran@example.com")
			ev.Status = tc.status
			res := mustRecord(t, s, p, ev)
			if res.Outcome != tc.want {
				t.Fatalf("outcome = %q, want %q", res.Outcome, tc.want)
			}
			if tc.want != referral.OutcomeNotPaid {
				return
			}
			if res.Matched || res.Conversion != nil || res.InvoiceID != "INV-1" {
				t.Errorf("not_paid answered %+v", res)
			}
			if n := len(mustConversions(t, s, p)); n != 0 {
				t.Errorf("%d conversions, want none", n)
			}
			wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated)
			// Nothing was kept: the same invoice, paid later, converts (not a replay).
			ev.Status = "paid"
			if res := mustRecord(t, s, p, ev); res.Outcome != referral.OutcomeConverted || res.Replayed {
				t.Errorf("paid later = %+v, want a new conversion", res)
			}
		})
	}

	t.Run("unpaid event with a code creates no referral", func(t *testing.T) {
		p := mustPractice(t, s)
		jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
		res := mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "gus@example.com",
			Name: "Gus Gray", Amount: "250", ReferralCode: jane.Code, Status: "pending"})
		if res.Outcome != referral.OutcomeNotPaid {
			t.Fatalf("outcome = %q", res.Outcome)
		}
		if n := len(mustReferrals(t, s, p, referral.ReferralFilter{})); n != 0 {
			t.Errorf("%d referrals, want none", n)
		}
		wantEvents(t, s, p, referral.AdvocateCreated)
	})
}

func TestRecordConversionMatchesByEmail(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	ref := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")

	res := mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: " INV-1 ", PaymentID: "PAY-1",
		Email: "  FRAN@Example.COM ", FirstName: "Frances", LastName: "Fields", Amount: "250.00"})
	if res.Outcome != referral.OutcomeConverted || !res.Matched || res.Replayed || !res.Created() ||
		res.InvoiceID != "INV-1" || res.PaymentID == nil || *res.PaymentID != "PAY-1" {
		t.Fatalf("result = %+v", res)
	}
	c := res.Conversion
	if c.ReferralID != ref.ID || c.AdvocateID != jane.ID || c.AdvocateName != "Jane Park" ||
		c.FriendName != "Fran Fields" || c.FriendEmail != "fran@example.com" || c.InvoiceID != "INV-1" ||
		c.PaymentID != "PAY-1" || c.Source != referral.SourcePayment || c.Status != referral.Rewarded ||
		c.Amount != (referral.Money{Minor: 25000, Currency: "USD"}) || !c.PaidAt.Equal(epoch) || c.ReversedAt != nil {
		t.Errorf("conversion = %+v", c)
	}

	refs := mustReferrals(t, s, p, referral.ReferralFilter{})
	if len(refs) != 1 || refs[0].Status != referral.Converted || refs[0].ConvertedAt == nil {
		t.Errorf("referral after conversion = %+v", refs)
	}
	list := mustConversions(t, s, p)
	if len(list) != 1 || list[0].ID != c.ID || list[0].Reward == nil || list[0].Reward.Code != c.Reward.Code {
		t.Errorf("conversions = %+v, want %s with its reward", list, c.ID)
	}

	// The outbox carries the conversion with its reward, as it was at that moment.
	events := mustEvents(t, s, p, referral.ConversionRecorded)
	if len(events) != 1 {
		t.Fatalf("%d conversion.recorded events, want 1", len(events))
	}
	var data struct {
		ID       string `json:"id"`
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
		Reward   struct {
			Code     string `json:"code"`
			Status   string `json:"status"`
			Amount   string `json:"amount"`
			Currency string `json:"currency"`
		} `json:"reward"`
	}
	if err := json.Unmarshal(events[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.ID != c.ID || data.Amount != "250.00" || data.Currency != "USD" || data.Reward.Code != c.Reward.Code ||
		data.Reward.Status != referral.Issued || data.Reward.Amount != "50.00" {
		t.Errorf("conversion.recorded data = %s", events[0].Data)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded)
}

// A valid referral_code on the payment claims a referral for a payer who has none.
func TestRecordConversionMatchesByCode(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)

	for _, tc := range []struct {
		name     string
		ev       referral.PaymentEvent
		wantName string
	}{
		{"code and name", referral.PaymentEvent{Name: "Gus Gray"}, "Gus Gray"},
		{"code in lower case, first and last name", referral.PaymentEvent{FirstName: " Gus ", LastName: "Gray"}, "Gus Gray"},
		{"no name: the email stands in", referral.PaymentEvent{}, "gus@example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustPractice(t, s)
			jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
			ev := tc.ev
			ev.InvoiceID, ev.Email, ev.Amount, ev.ReferralCode = "INV-1", "Gus@Example.com", "250", jane.Code
			if strings.Contains(tc.name, "lower case") {
				ev.ReferralCode = strings.ToLower(jane.Code)
			}
			c := mustConvert(t, s, p, ev)
			refs := mustReferrals(t, s, p, referral.ReferralFilter{})
			if len(refs) != 1 {
				t.Fatalf("%d referrals, want the one made from the code", len(refs))
			}
			r := refs[0]
			if r.Source != referral.SourceCode || r.AdvocateID != jane.ID || r.FriendEmail != "gus@example.com" ||
				r.FriendName != tc.wantName || r.Status != referral.Converted || c.ReferralID != r.ID {
				t.Errorf("referral = %+v, conversion = %+v", r, c)
			}
			wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded)
		})
	}
}

// Codes that cannot make a referral are simply no match: never an error, and nothing kept.
func TestRecordConversionCodesThatDoNotMatch(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	for _, tc := range []struct {
		name  string
		email string
		code  func(jane, gone *referral.Advocate) string
	}{
		{"the payer's own code", "JANE@example.com", func(jane, _ *referral.Advocate) string { return jane.Code }},
		{"payer is another advocate", "ann@example.com", func(jane, _ *referral.Advocate) string { return jane.Code }},
		{"disabled advocate's code", "gus@example.com", func(_, gone *referral.Advocate) string { return gone.Code }},
		{"unknown code", "gus@example.com", func(*referral.Advocate, *referral.Advocate) string { return "ZZZZZZZZ" }},
		{"code but no email", "", func(jane, _ *referral.Advocate) string { return jane.Code }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustPractice(t, s)
			jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
			mustAdvocate(t, s, p, "Ann Lee", "ann@example.com")
			gone := mustAdvocate(t, s, p, "Gone Away", "gone@example.com")
			disabled := referral.Disabled
			if _, err := s.UpdateAdvocate(t.Context(), p, gone.ID, referral.AdvocateChange{Status: &disabled}); err != nil {
				t.Fatal(err)
			}
			res := mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: tc.email,
				Name: "Someone Paying", Amount: "250", ReferralCode: tc.code(jane, gone)})
			if res.Outcome != referral.OutcomeNoMatch || res.Matched || res.Conversion != nil {
				t.Errorf("result = %+v, want no_match", res)
			}
			if n := len(mustReferrals(t, s, p, referral.ReferralFilter{})); n != 0 {
				t.Errorf("%d referrals, want none", n)
			}
			wantEvents(t, s, p, referral.AdvocateCreated, referral.AdvocateCreated, referral.AdvocateCreated)
		})
	}
}

// Matching by email comes first: a code for another advocate does not move the referral.
func TestRecordConversionEmailBeatsCode(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	ann := mustAdvocate(t, s, p, "Ann Lee", "ann@example.com")
	ref := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	ev := pay("INV-1", "fran@example.com")
	ev.ReferralCode = ann.Code
	c := mustConvert(t, s, p, ev)
	if c.ReferralID != ref.ID || c.AdvocateID != jane.ID {
		t.Errorf("conversion = %+v, want Jane's referral", c)
	}
	if n := len(mustReferrals(t, s, p, referral.ReferralFilter{})); n != 1 {
		t.Errorf("%d referrals, want 1", n)
	}
}

// An unmatched payer is a successful no_match that leaves no personal data behind.
func TestRecordConversionNoMatchKeepsNothing(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")

	for _, ev := range []referral.PaymentEvent{
		{InvoiceID: "INV-1", Email: "maria.lopez@example.com", Name: "Maria Lopez", Amount: "250"},
		{InvoiceID: "INV-2", Email: "maria.lopez@example.com", FirstName: "Maria", LastName: "Lopez", Amount: "250", ReferralCode: "ZZZZZZZZ"},
		{InvoiceID: "INV-3", Email: "frances.smith@example.com", Name: "Frances Smith", Amount: "250"},
		{InvoiceID: "INV-4", Email: "nameless@example.com", Amount: "250"},
		{InvoiceID: "INV-5", Amount: "250"},
	} {
		res := mustRecord(t, s, p, ev)
		if res.Outcome != referral.OutcomeNoMatch || res.Matched || res.Replayed || res.Conversion != nil {
			t.Errorf("RecordConversion(%+v) = %+v, want no_match", ev, res)
		}
	}
	refs := mustReferrals(t, s, p, referral.ReferralFilter{})
	if len(refs) != 1 || refs[0].FriendEmail != "fran@example.com" || refs[0].Status != referral.Pending {
		t.Errorf("referrals = %+v, want only Fran's, still pending", refs)
	}
	if n := len(mustNearMisses(t, s, p)); n != 0 {
		t.Errorf("%d near-misses, want none", n)
	}
	if n := len(mustConversions(t, s, p)); n != 0 {
		t.Errorf("%d conversions, want none", n)
	}
	for _, e := range mustEvents(t, s, p, "") {
		if strings.Contains(string(e.Data), "maria") || strings.Contains(string(e.Data), "Lopez") {
			t.Errorf("event %s holds the unmatched payer: %s", e.Type, e.Data)
		}
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated)
}

// Qualifying: the referral's first paid invoice of at least the practice's minimum converts it.
func TestRecordConversionMinimum(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	p.Reward.Minimum = referral.Money{Minor: 100_00, Currency: "USD"}
	mustSavePractice(t, s, p)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")

	for _, tc := range []struct {
		invoice, amount, want string
	}{
		{"INV-1", "25.00", referral.OutcomeBelowMinimum},
		{"INV-2", "99.99", referral.OutcomeBelowMinimum},
		{"INV-3", "100.00", referral.OutcomeConverted},
		{"INV-4", "500.00", referral.OutcomeAlreadyRewarded},
	} {
		res := mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: tc.invoice, Email: "fran@example.com", Amount: referral.Amount(tc.amount)})
		if res.Outcome != tc.want || !res.Matched {
			t.Errorf("%s of %s = %+v, want matched %s", tc.invoice, tc.amount, res, tc.want)
		}
		if tc.want == referral.OutcomeBelowMinimum && res.Conversion != nil {
			t.Errorf("below_minimum carried a conversion")
		}
	}
	list := mustConversions(t, s, p)
	if len(list) != 1 || list[0].InvoiceID != "INV-3" {
		t.Errorf("conversions = %+v, want INV-3's", list)
	}
	if n := len(mustEvents(t, s, p, referral.ConversionRecorded)); n != 1 {
		t.Errorf("%d conversion.recorded events, want 1", n)
	}
}

// At most one conversion per referral; the same payment replayed answers the same conversion,
// for ever; another payment of the same invoice is already rewarded.
func TestRecordConversionOncePerReferralAndReplays(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	first := referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-1", Email: "fran@example.com", Amount: "250.00"}
	conv := mustConvert(t, s, p, first)

	for _, tc := range []struct {
		name     string
		after    time.Duration
		ev       referral.PaymentEvent
		outcome  string
		replayed bool
	}{
		{"same payment at once", 0, first, referral.OutcomeConverted, true},
		{"same payment, Zapier's ten-hour retry", 10 * time.Hour, first, referral.OutcomeConverted, true},
		{"same payment a year later", 366 * 24 * time.Hour, first, referral.OutcomeConverted, true},
		{"same key, other details", 0, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-1",
			Email: "other@example.com", Amount: "1.00"}, referral.OutcomeConverted, true},
		{"another payment of the invoice", 0, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-2",
			Email: "fran@example.com", Amount: "50.00"}, referral.OutcomeAlreadyRewarded, false},
		{"another invoice", 0, referral.PaymentEvent{InvoiceID: "INV-2", Email: "fran@example.com", Amount: "900"},
			referral.OutcomeAlreadyRewarded, false},
		{"another invoice replayed", 0, referral.PaymentEvent{InvoiceID: "INV-2", Email: "fran@example.com", Amount: "900"},
			referral.OutcomeAlreadyRewarded, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Add(tc.after)
			res := mustRecord(t, s, p, tc.ev)
			if res.Outcome != tc.outcome || res.Replayed != tc.replayed || !res.Matched || res.Created() {
				t.Fatalf("result = %+v, want %s (replayed %v)", res, tc.outcome, tc.replayed)
			}
			if res.Conversion == nil || res.Conversion.ID != conv.ID {
				t.Fatalf("conversion = %+v, want %s", res.Conversion, conv.ID)
			}
			if r := res.Conversion.Reward; r == nil || r.Code != conv.Reward.Code {
				t.Errorf("reward = %+v, want %s", r, conv.Reward.Code)
			}
		})
	}
	if n := len(mustConversions(t, s, p)); n != 1 {
		t.Errorf("%d conversions, want 1", n)
	}
	if n := len(mustRewards(t, s, p, referral.RewardFilter{})); n != 1 {
		t.Errorf("%d rewards, want 1", n)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded)
}

// Outcomes that are not conversions replay too.
func TestRecordConversionReplaysEveryOutcome(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	p.Reward.Minimum = referral.Money{Minor: 100_00, Currency: "USD"}
	mustSavePractice(t, s, p)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	small := referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@example.com", Amount: "10"}
	stranger := referral.PaymentEvent{InvoiceID: "INV-2", Email: "maria@example.com", Amount: "250"}
	for _, ev := range []referral.PaymentEvent{small, stranger} {
		first := mustRecord(t, s, p, ev)
		c.Add(time.Hour)
		again := mustRecord(t, s, p, ev)
		if !again.Replayed || again.Outcome != first.Outcome || again.Matched != first.Matched || again.Conversion != nil {
			t.Errorf("replay of %s = %+v, first %+v", ev.InvoiceID, again, first)
		}
	}
	// Replaying a below-minimum invoice does not convert it, even now that it qualifies.
	p.Reward.Minimum = referral.Money{Minor: 1, Currency: "USD"}
	mustSavePractice(t, s, p)
	if res := mustRecord(t, s, p, small); res.Outcome != referral.OutcomeBelowMinimum || !res.Replayed {
		t.Errorf("replay after the minimum changed = %+v", res)
	}
}
