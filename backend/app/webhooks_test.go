package app_test

import (
	"bytes"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/apitest"
	"github.com/advocateloop/advocateloop/backend/logging"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

// sendWebhook signs body with secret as Standard Webhooks and POSTs it, as a practice's system would.
func sendWebhook(c *apitest.Client, path, secret, id, body string) *apitest.Response {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	return c.RawDo("POST", path, []byte(body), "application/json",
		"webhook-id", id, "webhook-timestamp", ts, "webhook-signature", webhook.SignatureHeader(secret, id, ts, []byte(body)))
}

// A practice without Zapier sends Aesthetic Record's own labels, full of health data, signed
// with its webhook secret: the friend converts, nothing but the allow-listed fields is kept
// anywhere, and neither a redelivery nor the same payment through Zapier rewards again.
func TestPaymentWebhookKeepsNoHealthData(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(logging.New(&logs))
	t.Cleanup(func() { slog.SetDefault(prev) })

	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	s.mustReferral(t, p, "fran@example.com")
	secret := p.WebhookSecret

	payload := `{"Invoice Number":"INV-1001","Payment ID":"PAY-7","Patient Email":"Fran@Example.com",
		"Patient First Name":"Fran","Patient Last Name":"Fields","Total":"$250.00","Payment Status":"Paid",
		"Treatment":"Botox Cosmetic 20 units","Line Items":[{"name":"Juvederm Voluma","price":"800.00"}],
		"Notes":"allergic to lidocaine","Phone":"+1 555 0100","Date of Birth":"1990-04-01",
		"patient":{"dob":"1990-04-01","medical_history":"rosacea"}}`
	res := sendWebhook(s.Client, "/v1/webhooks/payments", secret, "msg_1", payload)
	if res.Status != 201 {
		t.Fatalf("payment webhook: %d %s", res.Status, res.Body)
	}
	var first referral.ConversionResult
	res.JSON(t, &first)
	if first.Outcome != referral.OutcomeConverted || !strings.Contains(string(res.Body), `"amount":"250.00"`) {
		t.Fatalf("result = %+v", first)
	}

	again := sendWebhook(s.Client, "/v1/webhooks/payments", secret, "msg_1", payload)
	if again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, res.Body) {
		t.Errorf("redelivery: %d replayed=%q", again.Status, again.Header.Get("Idempotent-Replayed"))
	}
	var viaZapier referral.ConversionResult
	p.Client.Post("/v1/conversions", map[string]any{"invoice_id": "INV-1001", "payment_id": "PAY-7",
		"email": "fran@example.com", "amount": "250.00"}).JSON(t, &viaZapier)
	if !viaZapier.Replayed || viaZapier.Conversion.ID != first.Conversion.ID {
		t.Errorf("the same payment through Zapier: %+v", viaZapier)
	}
	if n := s.count(t, "rewards"); n != 1 {
		t.Errorf("%d rewards, want 1", n)
	}

	health := []string{"Botox", "Juvederm", "lidocaine", "555 0100", "1990-04-01", "rosacea", "medical"}
	for table, rows := range s.rows(t) {
		for _, row := range rows {
			for _, secret := range health {
				if strings.Contains(row, secret) {
					t.Errorf("%s keeps %q: %s", table, secret, row)
				}
			}
		}
	}
	for _, secret := range append(health, "fran@example.com", "Fran@Example.com") {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("logs contain %q", secret)
		}
	}

	var receipts struct {
		Data []referral.WebhookReceipt `json:"data"`
	}
	p.Client.Get("/v1/webhook-receipts").JSON(t, &receipts)
	if len(receipts.Data) != 1 || receipts.Data[0].Outcome != referral.OutcomeConverted || receipts.Data[0].WebhookID != "msg_1" {
		t.Errorf("receipts = %+v; want the one delivery, converted", receipts.Data)
	}
	if strings.Contains(string(p.Client.Get("/v1/webhook-receipts").Body), "Botox") {
		t.Error("receipts show the payload")
	}
}

// A refund webhook reverses the conversion the payment webhook recorded.
func TestRefundWebhook(t *testing.T) {
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	s.mustReferral(t, p, "fran@example.com")
	sendWebhook(s.Client, "/v1/webhooks/payments", p.WebhookSecret, "msg_1", `{"invoice_number":"INV-1","email":"fran@example.com","amount_paid":99}`)
	res := sendWebhook(s.Client, "/v1/webhooks/refunds", p.WebhookSecret, "msg_2", `{"Invoice Number":"INV-1","Refund ID":"R-1","reason":"reaction to filler"}`)
	var rev referral.ReversalResult
	res.JSON(t, &rev)
	if res.Status != 200 || rev.Outcome != referral.OutcomeReversed || rev.Conversion.Reward.Status != referral.Voided {
		t.Fatalf("refund webhook: %d %+v", res.Status, rev)
	}
}

// Unsigned, wrongly signed or incomplete webhooks change nothing and say why.
func TestWebhookRefusals(t *testing.T) {
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	other := s.mustPractice(t, "Other Spa")
	s.mustReferral(t, p, "fran@example.com")
	body := `{"invoice_number":"INV-1","email":"fran@example.com","total":"50"}`
	before := s.rows(t)

	cases := []struct {
		name   string
		send   func() *apitest.Response
		status int
		slug   string
		fields []string
	}{
		{"no headers", func() *apitest.Response {
			return s.Client.RawDo("POST", "/v1/webhooks/payments", []byte(body), "application/json")
		}, 401, "invalid-signature", nil},
		{"signed with a secret no practice has", func() *apitest.Response {
			return sendWebhook(s.Client, "/v1/webhooks/payments", referral.NewWebhookSecret(), "msg_x", body)
		}, 401, "invalid-signature", nil},
		{"an hour old", func() *apitest.Response {
			ts := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
			return s.Client.RawDo("POST", "/v1/webhooks/payments", []byte(body), "application/json", "webhook-id", "msg_y",
				"webhook-timestamp", ts, "webhook-signature", webhook.SignatureHeader(p.WebhookSecret, "msg_y", ts, []byte(body)))
		}, 401, "invalid-signature", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.send()
			if res.Status != tc.status || res.Problem(t).Slug() != tc.slug {
				t.Fatalf("%d %s, want %d %s", res.Status, res.Body, tc.status, tc.slug)
			}
			assertSameRows(t, before, s.rows(t))
		})
	}

	// Signed by the other practice: it is that practice's payment, and Fran is not its friend.
	res := sendWebhook(s.Client, "/v1/webhooks/payments", other.WebhookSecret, "msg_o", body)
	var r referral.ConversionResult
	res.JSON(t, &r)
	if res.Status != 200 || r.Matched {
		t.Errorf("another practice's webhook matched: %d %+v", res.Status, r)
	}

	res = sendWebhook(s.Client, "/v1/webhooks/payments", p.WebhookSecret, "msg_m", `{"Patient Email":"fran@example.com","diagnosis":"melasma"}`)
	prob := res.Problem(t)
	if res.Status != 422 || prob.Slug() != "validation-failed" {
		t.Fatalf("incomplete webhook: %d %s", res.Status, res.Body)
	}
	for _, f := range []string{"amount", "invoice_id"} {
		if e, ok := prob.Field(f); !ok || !strings.Contains(e.Detail, "tried") {
			t.Errorf("problem does not say which names were tried for %s: %+v", f, prob)
		}
	}
	if n := s.count(t, "conversions"); n != 0 {
		t.Errorf("%d conversions after refusals, want 0", n)
	}
}
