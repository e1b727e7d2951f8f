package webhook_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

// FuzzPaymentEvent: any body maps to an event or a validation problem, never a panic, and a
// mapped event always has an invoice id and an amount and nothing but allow-listed values.
func FuzzPaymentEvent(f *testing.F) {
	for _, seed := range []string{
		`{"Invoice Number":"INV-1001","Patient Email":"fran@example.com","Total":"$1,250.00"}`,
		`{"invoice":{"number":"INV-9"},"patient":{"email":"a@b.c"},"amount":10}`,
		`{"InvoiceID":7,"AmountPaid":99.5,"treatment":"Botox","line_items":[1,2]}`,
		`{"":"","invoice_id":null,"amount":true}`,
		`[]`, `{}`, `not json`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := webhook.PaymentEvent(body)
		if err != nil {
			if referral.ErrorCode(err) != referral.EInvalid {
				t.Fatalf("error %v is not a validation problem", err)
			}
			return
		}
		if ev.InvoiceID == "" || ev.Amount == "" {
			t.Fatalf("mapped %+v without an invoice id or an amount", ev)
		}
		// Every value comes from the body: the text values as they stand (unless JSON escapes
		// changed how they are spelled), the amount with only currency signs and commas dropped.
		if strings.Contains(string(body), "\\") {
			return
		}
		for _, v := range []string{ev.InvoiceID, ev.Email, ev.Name, ev.FirstName, ev.LastName} {
			if v != "" && !strings.Contains(string(body), v) {
				t.Fatalf("value %q is not in the body %q", v, body)
			}
		}
		stripped := strings.NewReplacer("$", "", "€", "", "£", "", ",", "", " ", "").Replace(string(body))
		if !strings.Contains(stripped, string(ev.Amount)) {
			t.Fatalf("amount %q is not in the body %q", ev.Amount, body)
		}
	})
}

// FuzzVerify: no header or body makes verification panic or accept a forged signature.
func FuzzVerify(f *testing.F) {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	ts := strconv.FormatInt(now.Unix(), 10)
	body := `{"invoice_id":"INV-1","amount":"1.00"}`
	f.Add("msg_1", ts, webhook.SignatureHeader(secret, "msg_1", ts, []byte(body)), []byte(body))
	f.Add("msg_1", ts, "v1,AAAA v1,", []byte(body))
	f.Add("", "", "", []byte(nil))
	f.Add("msg_2", "-1", "v1,"+strings.Repeat("A", 44), []byte("{}"))
	f.Fuzz(func(t *testing.T, id, timestamp, signature string, body []byte) {
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", timestamp)
		h.Set("webhook-signature", signature)
		_, err := webhook.Verify([]string{secret}, h, body, now)
		want := webhook.SignatureHeader(secret, id, timestamp, body)
		if err == nil && !strings.Contains(" "+h.Get("webhook-signature")+" ", " "+want+" ") {
			t.Fatalf("accepted a signature that is not the body's: %q", signature)
		}
	})
}
