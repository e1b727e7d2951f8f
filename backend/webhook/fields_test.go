package webhook_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

func TestPaymentEventFieldNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want referral.PaymentEvent
	}{
		{"the API's own names", `{"invoice_id":"INV-1","payment_id":"P-1","email":"fran@example.com","first_name":"Fran","last_name":"Fields","amount":"250.00","currency":"USD","paid_at":"2026-11-23","status":"paid","referral_code":"AB23CD45"}`,
			referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "P-1", Email: "fran@example.com", FirstName: "Fran", LastName: "Fields", Amount: "250.00", Currency: "USD", PaidAt: "2026-11-23", Status: "paid", ReferralCode: "AB23CD45"}},
		{"Aesthetic Record's labels", `{"Invoice Number":"INV-1001","Patient Email":"fran@example.com","Patient First Name":"Fran","Patient Last Name":"Fields","Total":"$1,250.00","Payment Status":"Paid","Date Paid":"2026-11-23"}`,
			referral.PaymentEvent{InvoiceID: "INV-1001", Email: "fran@example.com", FirstName: "Fran", LastName: "Fields", Amount: "$1,250.00", Status: "Paid", PaidAt: "2026-11-23"}},
		{"camel case", `{"InvoiceID":7,"PatientEmail":"fran@example.com","AmountPaid":99.5,"FullName":"Fran Fields"}`,
			referral.PaymentEvent{InvoiceID: "7", Email: "fran@example.com", Amount: "99.5", Name: "Fran Fields"}},
		{"nested patient", `{"invoice":{"number":"INV-9"},"patient":{"email":"fran@example.com","first_name":"Fran"},"amount":10}`,
			referral.PaymentEvent{InvoiceID: "INV-9", Email: "fran@example.com", FirstName: "Fran", Amount: "10"}},
		{"two names for the amount, with one value", `{"Amount":"250.00","Amount Paid":"250.00","Invoice Number":"INV-2"}`,
			referral.PaymentEvent{InvoiceID: "INV-2", Amount: "250.00"}},
		{"two names for the amount, one blank", `{"Amount":"","Total":250,"Invoice Number":"INV-2"}`,
			referral.PaymentEvent{InvoiceID: "INV-2", Amount: "250"}},
		{"health data dropped", `{"invoice_id":"INV-3","amount":1,"treatment":"Botox","line_items":[{"name":"Filler"}],"notes":"x","phone":"555","dob":"1990-01-01","Date of Birth":"1990-01-01"}`,
			referral.PaymentEvent{InvoiceID: "INV-3", Amount: "1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := webhook.PaymentEvent([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestPaymentEventMissingFields(t *testing.T) {
	for _, tc := range []struct {
		body   string
		fields []string
	}{
		{`{"email":"fran@example.com"}`, []string{"amount", "invoice_id"}},
		{`{"Invoice Number":"INV-1"}`, []string{"amount"}},
		{`{"Total":"10","Invoice Number":""}`, []string{"invoice_id"}},
		{`{"items":{"invoice":"x"}}`, []string{"amount"}},
	} {
		_, err := webhook.PaymentEvent([]byte(tc.body))
		var e *referral.Error
		if !errors.As(err, &e) || e.Code != referral.EInvalid || len(e.Fields) != len(tc.fields) {
			t.Fatalf("%s: %v, want fields %v", tc.body, err, tc.fields)
		}
		for i, f := range tc.fields {
			if e.Fields[i].Field != f || len(e.Fields[i].Detail) < 20 {
				t.Errorf("%s: field %d = %+v, want %s with the names tried", tc.body, i, e.Fields[i], f)
			}
		}
	}
	for _, body := range []string{``, `[]`, `null`, `"x"`, `{"a":`} {
		if _, err := webhook.PaymentEvent([]byte(body)); referral.ErrorCode(err) != referral.EInvalid {
			t.Errorf("%q: %v, want validation-failed", body, err)
		}
	}
}

func TestRefundEventFieldNames(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		amount     *referral.Amount // nil: a full refund
	}{
		{"AR's labels", `{"Invoice Number":"INV-1","Refund ID":"R-1","Refund Amount":"$50.00","reason":"allergic reaction"}`, new(referral.Amount("$50.00"))},
		{"top-level amount, nested one ignored", `{"invoice_number":"INV-1","Refund ID":"R-1","refund_total":"20","line":{"amount":"5"}}`, new(referral.Amount("20"))},
		{"no amount: a full refund", `{"invoice_number":"INV-1","Refund ID":"R-1"}`, nil},
		{"amount null: a full refund", `{"invoice_number":"INV-1","Refund ID":"R-1","amount_refunded":null}`, nil},
		{"amount blank: kept blank, for the domain to refuse", `{"invoice_number":"INV-1","Refund ID":"R-1","amount_refunded":" "}`, new(referral.Amount(""))},
		{"a blank name, then one with a value", `{"invoice_number":"INV-1","Refund ID":"R-1","amount_refunded":"","refund_amount":"5"}`, new(referral.Amount("5"))},
	} {
		got, err := webhook.RefundEvent([]byte(tc.body))
		if err != nil || got.InvoiceID != "INV-1" || got.RefundID != "R-1" {
			t.Fatalf("%s: %+v, %v", tc.name, got, err)
		}
		if (got.AmountRefunded == nil) != (tc.amount == nil) || tc.amount != nil && *got.AmountRefunded != *tc.amount {
			t.Errorf("%s: amount %v, want %v", tc.name, got.AmountRefunded, tc.amount)
		}
	}
}

// A name given twice is refused, at both levels the reader looks at, rather than read as
// whichever came last.
func TestDuplicateNamesRefused(t *testing.T) {
	for _, tc := range []struct{ body, field string }{
		{`{"invoice_id":"INV-1","amount":"1.00","amount":"999.00"}`, "amount"},
		{`{"invoice_id":"INV-1","Total":"1.00","Total":"999.00"}`, "Total"},
		{`{"invoice_id":"INV-1","amount":1,"patient":{"email":"a@example.com","email":"b@example.com"}}`, "patient.email"},
	} {
		_, err := webhook.PaymentEvent([]byte(tc.body))
		var e *referral.Error
		if !errors.As(err, &e) || e.Code != referral.EInvalid || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
			t.Errorf("%s: %v, want validation-failed naming %s", tc.body, err, tc.field)
		}
	}
	if _, err := webhook.RefundEvent([]byte(`{"invoice_id":"INV-1","invoice_id":"INV-2"}`)); referral.ErrorCode(err) != referral.EInvalid {
		t.Errorf("refund with invoice_id twice: %v", err)
	}
	// Line items are never read, so what they repeat is none of the reader's business.
	if _, err := webhook.PaymentEvent([]byte(`{"invoice_id":"INV-1","amount":1,"line_items":[{"name":"a","name":"b"}]}`)); err != nil {
		t.Errorf("a repeat inside unread line items: %v", err)
	}
}

// A name at the top of the body beats a nested one of the same meaning, whichever of the
// field's names each is: a tax line's amount or an item's total is never the payment's amount.
func TestTopLevelBeatsNested(t *testing.T) {
	for _, tc := range []struct{ name, body, amount, email string }{
		{"tax amount under a later alias", `{"invoice_id":"INV-1","total":"300.00","tax":{"amount":"25.00"}}`, "300.00", ""},
		{"line total under the first alias", `{"invoice_id":"INV-1","amount":"300.00","line":{"total":"99.00"}}`, "300.00", ""},
		{"nested first in the body", `{"line":{"total":"99.00"},"invoice_id":"INV-1","grand_total":300}`, "300", ""},
		{"payer email over the patient's", `{"invoice_id":"INV-1","amount":1,"payer_email":"pay@example.com","patient":{"email":"pat@example.com"}}`, "1", "pay@example.com"},
		{"only nested: read", `{"invoice_id":"INV-1","payment":{"amount":"80.00"},"patient":{"email":"pat@example.com"}}`, "80.00", "pat@example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := webhook.PaymentEvent([]byte(tc.body))
			if err != nil || string(ev.Amount) != tc.amount || ev.Email != tc.email {
				t.Fatalf("amount %q, email %q, %v; want %q, %q", ev.Amount, ev.Email, err, tc.amount, tc.email)
			}
		})
	}
	// A top-level amount sent blank is the sender's answer: a nested one does not fill it in.
	if _, err := webhook.PaymentEvent([]byte(`{"invoice_id":"INV-1","total":"","tax":{"amount":"25.00"}}`)); !names(err, "amount", "is missing") {
		t.Errorf("a blank total with a nested tax amount: %v, want amount missing", err)
	}
}

// Two names for one field at the same level with different values are refused, naming the
// field and both names as sent, rather than one picked by the order of the table.
func TestAliasesThatDisagree(t *testing.T) {
	for _, tc := range []struct{ body, field, detail string }{
		{`{"invoice_id":"INV-1","amount":"250","total":"300"}`, "amount", `is given as "amount" and "total" with different values`},
		{`{"invoice_id":"INV-1","Amount Paid":"250.00","Amount":"5.00"}`, "amount", `"Amount" and "Amount Paid"`},
		{`{"invoice_id":"INV-1","amount":250,"total":"250.00"}`, "amount", `"amount" and "total"`},
		{`{"Invoice Number":"INV-1","invoice_id":"INV-2","amount":1}`, "invoice_id", `"Invoice Number" and "invoice_id"`},
		{`{"invoice_id":"INV-1","amount":1,"email":"a@example.com","patient_email":"b@example.com"}`, "email", `"email" and "patient_email"`},
		{`{"invoice_id":"INV-1","amount":1,"patient":{"email":"a@example.com"},"payer":{"email":"b@example.com"}}`, "email", `"patient.email" and "payer.email"`},
	} {
		if _, err := webhook.PaymentEvent([]byte(tc.body)); !names(err, tc.field, tc.detail) {
			t.Errorf("%s: %v, want %s refused saying %s", tc.body, err, tc.field, tc.detail)
		}
	}
	// A nested object's bare amount or total is never the payment's: a tax line's, an item's.
	if _, err := webhook.PaymentEvent([]byte(`{"invoice_id":"INV-1","tax":{"amount":"25.00"},"line":{"total":"99.00"}}`)); !names(err, "amount", "is missing") {
		t.Errorf("only nested tax and line amounts: %v, want amount missing", err)
	}
	if ev, err := webhook.PaymentEvent([]byte(`{"invoice_id":"INV-1","payment":{"amount":"250.00"},"tax":{"amount":"25.00"}}`)); err != nil || ev.Amount != "250.00" {
		t.Errorf("a payment object's amount beside a tax line's: %+v, %v; want 250.00", ev, err)
	}
	// A refund's own amount beats the invoice's "amount" sent beside it.
	ev, err := webhook.RefundEvent([]byte(`{"invoice_id":"INV-1","amount":"250.00","refund_amount":"50.00"}`))
	if err != nil || ev.AmountRefunded == nil || *ev.AmountRefunded != "50.00" {
		t.Errorf("a refund with the invoice's amount beside its own: %+v, %v; want 50.00 refunded", ev, err)
	}
	if _, err := webhook.RefundEvent([]byte(`{"invoice_id":"INV-1","refund_amount":"50.00","refund_total":"60.00"}`)); !names(err, "amount_refunded", `"refund_amount" and "refund_total"`) {
		t.Errorf("a refund with two refund amounts: %v, want amount_refunded refused", err)
	}
	// The same value under two names, or under one nested object's own and joined names, is one value.
	for _, body := range []string{
		`{"invoice_id":"INV-1","amount":"250.00","total":"250.00"}`,
		`{"invoice_id":"INV-1","amount":"250.00","patient":{"email":"a@example.com"}}`,
	} {
		if _, err := webhook.PaymentEvent([]byte(body)); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// names reports whether err is a validation problem naming field with a detail containing detail.
func names(err error, field, detail string) bool {
	var e *referral.Error
	if !errors.As(err, &e) || e.Code != referral.EInvalid {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field && strings.Contains(f.Detail, detail) {
			return true
		}
	}
	return false
}
