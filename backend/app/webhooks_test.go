package app_test

import (
	"bytes"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/apitest"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/logging"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

// sendWebhook signs body with secret as Standard Webhooks and POSTs it, as a practice's system
// would; headers are more name, value pairs.
func sendWebhook(c *apitest.Client, path, secret, id, body string, headers ...string) *apitest.Response {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	return c.RawDo("POST", path, []byte(body), "application/json", append([]string{
		"webhook-id", id, "webhook-timestamp", ts, "webhook-signature", webhook.SignatureHeader(secret, id, ts, []byte(body))},
		headers...)...)
}

// webhookPath is a practice's own webhook URL: kind is payments or refunds.
func webhookPath(practiceID, kind string) string { return "/v1/webhooks/" + practiceID + "/" + kind }

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
	res := sendWebhook(s.Client, webhookPath(p.ID, "payments"), secret, "msg_1", payload)
	if res.Status != 201 {
		t.Fatalf("payment webhook: %d %s", res.Status, res.Body)
	}
	var first referral.ConversionResult
	res.JSON(t, &first)
	if first.Outcome != referral.OutcomeConverted || !strings.Contains(string(res.Body), `"amount":"250.00"`) {
		t.Fatalf("result = %+v", first)
	}

	again := sendWebhook(s.Client, webhookPath(p.ID, "payments"), secret, "msg_1", payload)
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
	sendWebhook(s.Client, webhookPath(p.ID, "payments"), p.WebhookSecret, "msg_1", `{"invoice_number":"INV-1","email":"fran@example.com","amount_paid":99}`)
	res := sendWebhook(s.Client, webhookPath(p.ID, "refunds"), p.WebhookSecret, "msg_2", `{"Invoice Number":"INV-1","Refund ID":"R-1","reason":"reaction to filler"}`)
	var rev referral.ReversalResult
	res.JSON(t, &rev)
	if res.Status != 200 || rev.Outcome != referral.OutcomeReversed || rev.Conversion.Reward.Status != referral.Voided {
		t.Fatalf("refund webhook: %d %+v", res.Status, rev)
	}
}

// Unsigned, wrongly signed or incomplete webhooks change nothing and say why. The practice is
// the one the URL names: another practice's signature does not open it, and an id that names
// no practice is answered exactly like a wrong signature, so the URL tells a stranger nothing.
func TestWebhookRefusals(t *testing.T) {
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	other := s.mustPractice(t, "Other Spa")
	s.mustReferral(t, p, "fran@example.com")
	body := `{"invoice_number":"INV-1","email":"fran@example.com","total":"50"}`
	payments := webhookPath(p.ID, "payments")
	unknown := referral.NewID("prc", time.Now())
	before := s.rows(t)

	cases := []struct {
		name string
		send func() *apitest.Response
	}{
		{"no headers", func() *apitest.Response {
			return s.Client.RawDo("POST", payments, []byte(body), "application/json")
		}},
		{"signed with a secret no practice has", func() *apitest.Response {
			return sendWebhook(s.Client, payments, referral.NewWebhookSecret(), "msg_x", body)
		}},
		{"an hour old", func() *apitest.Response {
			ts := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
			return s.Client.RawDo("POST", payments, []byte(body), "application/json", "webhook-id", "msg_y",
				"webhook-timestamp", ts, "webhook-signature", webhook.SignatureHeader(p.WebhookSecret, "msg_y", ts, []byte(body)))
		}},
		{"signed by another practice", func() *apitest.Response {
			return sendWebhook(s.Client, payments, other.WebhookSecret, "msg_o", body)
		}},
		{"refund signed by another practice", func() *apitest.Response {
			return sendWebhook(s.Client, webhookPath(p.ID, "refunds"), other.WebhookSecret, "msg_o", `{"invoice_number":"INV-1"}`)
		}},
		{"an id no practice has", func() *apitest.Response {
			return sendWebhook(s.Client, webhookPath(unknown, "payments"), p.WebhookSecret, "msg_u", body)
		}},
		{"not an id", func() *apitest.Response {
			return sendWebhook(s.Client, webhookPath("glow-aesthetics", "payments"), p.WebhookSecret, "msg_n", body)
		}},
		{"a NUL in the id", func() *apitest.Response {
			return sendWebhook(s.Client, webhookPath(p.ID[:len(p.ID)-1]+"%00", "payments"), p.WebhookSecret, "msg_z", body)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.send()
			if res.Status != 401 || res.Problem(t).Slug() != "invalid-signature" {
				t.Fatalf("%d %s, want 401 invalid-signature", res.Status, res.Body)
			}
			assertSameRows(t, before, s.rows(t))
		})
	}

	// An unknown id and a wrong signature on a real one get the same answer, word for word.
	wrong := sendWebhook(s.Client, payments, referral.NewWebhookSecret(), "msg_w", body)
	for _, id := range []string{unknown, "prc_nope", "payments"} {
		res := sendWebhook(s.Client, webhookPath(id, "payments"), p.WebhookSecret, "msg_w", body)
		got, want := res.Problem(t), wrong.Problem(t)
		got.Instance, got.RequestID, want.Instance, want.RequestID = "", "", "", ""
		if res.Status != wrong.Status || got.Type != want.Type || got.Title != want.Title || got.Detail != want.Detail ||
			len(got.Errors) != len(want.Errors) || res.Header.Get("WWW-Authenticate") != wrong.Header.Get("WWW-Authenticate") {
			t.Errorf("practice id %q answers %d %+v; a wrong signature answers %d %+v", id, res.Status, got, wrong.Status, want)
		}
	}

	// On its own URL the other practice's webhook is its own payment, and Fran is not its friend.
	res := sendWebhook(s.Client, webhookPath(other.ID, "payments"), other.WebhookSecret, "msg_o", body)
	var r referral.ConversionResult
	res.JSON(t, &r)
	if res.Status != 200 || r.Matched {
		t.Errorf("another practice's webhook matched: %d %+v", res.Status, r)
	}

	res = sendWebhook(s.Client, webhookPath(p.ID, "payments"), p.WebhookSecret, "msg_m", `{"Patient Email":"fran@example.com","diagnosis":"melasma"}`)
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

// The first webhook addresses named no practice: a sender still using them is told, with a 404
// it will not retry, where its webhooks go now and where to find that URL.
func TestOldWebhookAddressesSayWhereToGo(t *testing.T) {
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	for _, kind := range []string{"payments", "refunds"} {
		res := sendWebhook(s.Client, "/v1/webhooks/"+kind, p.WebhookSecret, "msg_1", `{"invoice_number":"INV-1","total":"50"}`)
		prob := res.Problem(t)
		if res.Status != 404 || prob.Slug() != "not-found" || !strings.Contains(prob.Detail, "/v1/webhooks/{practice_id}/payments") ||
			!strings.Contains(prob.Detail, "Settings") {
			t.Errorf("POST /v1/webhooks/%s: %d %s", kind, res.Status, res.Body)
		}
	}
	if n := s.count(t, "webhook_receipts"); n != 0 {
		t.Errorf("%d receipts kept for webhooks sent to the old addresses", n)
	}
}

// Each sending address gets 50 webhooks at once and then 10 a second. Past that a flood is
// turned away with 429 before anything else: forged signatures that were 401 (looked up and
// checked) become 429, and even a correctly signed webhook from that address waits, while a
// practice's system at another address is not held up.
func TestWebhookFloodLimitedPerAddress(t *testing.T) {
	s := mustServe(t, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} // the test's own proxy
	})
	p := s.mustPractice(t, "Glow Aesthetics")
	flood := s.Client.WithHeader("X-Forwarded-For", "203.0.113.9")
	body := `{"invoice_number":"INV-1","email":"fran@example.com","total":"50"}`
	forged := func(i int) *apitest.Response {
		path := webhookPath(p.ID, "payments")
		if i%2 == 1 {
			path = webhookPath(referral.NewID("prc", time.Now()), "payments") // guessing ids
		}
		return sendWebhook(flood, path, referral.NewWebhookSecret(), "msg_f"+strconv.Itoa(i), body)
	}
	verified, began := 0, time.Now()
	var limited *apitest.Response
	for i := range 200 {
		res := forged(i)
		if res.Status == 429 {
			limited = res
			break
		}
		if res.Status != 401 {
			t.Fatalf("forged webhook %d: %d %s", i, res.Status, res.Body)
		}
		verified++
	}
	// 50 at once, and one more for each tenth of a second the flood took to send.
	if limited == nil || verified < 50 || verified > 51+int(time.Since(began).Seconds()*10) {
		t.Fatalf("%d forged webhooks were checked before the limit (want 50 and a few refilled); last %v", verified, limited)
	}
	if limited.Problem(t).Slug() != "rate-limited" || limited.Header.Get("Retry-After") == "" {
		t.Errorf("over the limit: %s, Retry-After %q", limited.Body, limited.Header.Get("Retry-After"))
	}
	// The bucket keeps refilling at ten a second, so a flood may slip one webhook through per
	// tenth of a second it lasts (a busy machine can stretch it), and never more.
	start, checked := time.Now(), 0
	for i := range 20 {
		switch res := forged(1000 + i); res.Status {
		case 429:
		case 401:
			checked++
		default:
			t.Fatalf("forged webhook %d of the flood: %d %s", 1000+i, res.Status, res.Body)
		}
	}
	if refilled := 1 + int(time.Since(start).Seconds()*10); checked > refilled {
		t.Errorf("%d of 20 forged webhooks in the flood were checked; the refill allows %d", checked, refilled)
	}
	// A signed webhook sent right after a refusal finds the bucket all but empty: a token may
	// come back in between, but not five times running unless signed webhooks skip the limit.
	signed, waited := 0, false
	for try := range 5 {
		for i := 0; forged(2000+100*try+i).Status != 429 && i < 100; i++ {
		}
		res := sendWebhook(flood, webhookPath(p.ID, "payments"), p.WebhookSecret, "msg_s"+strconv.Itoa(try), body)
		if res.Status == 429 {
			waited = true
			break
		}
		if res.Status != 200 {
			t.Fatalf("a signed webhook from the flooding address: %d %s", res.Status, res.Body)
		}
		signed++
	}
	if !waited {
		t.Errorf("5 signed webhooks from the flooding address went through, each right after a 429")
	}
	if n := s.count(t, "webhook_receipts"); n != signed {
		t.Errorf("%d receipts kept during the flood, want the %d signed ones let through", n, signed)
	}

	// The practice's own system, elsewhere, goes on.
	res := sendWebhook(s.Client.WithHeader("X-Forwarded-For", "198.51.100.7"), webhookPath(p.ID, "payments"), p.WebhookSecret, "msg_ok", body)
	if res.Status != 200 {
		t.Errorf("a signed webhook from another address: %d %s", res.Status, res.Body)
	}
}
