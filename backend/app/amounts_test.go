package app_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// amountForm is one way of writing an amount, as it stands in a JSON body, and what a USD
// practice reads it as ("" when refused).
type amountForm struct {
	json string
	want string
}

// amountForms are the forms people and points of sale write, each read one way or refused.
var amountForms = []amountForm{
	{`250`, "250.00"},
	{`250.5`, "250.50"},
	{`"250.00"`, "250.00"},
	{`"$1,250.00"`, "1250.00"},
	{`"1,250.00"`, "1250.00"},
	{`" 250 "`, "250.00"},
	{`"$ 250"`, "250.00"},
	{`"1,50"`, ""},     // a European 1.50
	{`"1.250,00"`, ""}, // a European 1250.00
	{`"1 250,00"`, ""},
	{`"1$50"`, ""},
	{`"1.250"`, ""}, // 1250 to a German writer: more decimals than USD has
	{`"1e3"`, ""},
	{`2.5e2`, ""},
	{`"+250"`, ""},
	{`-5`, ""},
	{`"€50"`, ""}, // another currency's sign
	{`"0.00"`, ""},
	{`"  "`, ""},
	{`"99999999999999999999"`, ""},
}

// text is the form as typed into a form field: a JSON string's content, a number's literal.
func (f amountForm) text() string {
	var s string
	if json.Unmarshal([]byte(f.json), &s) == nil {
		return s
	}
	return f.json
}

// TestOneAmountRuleEveryWayIn sends every amount form each way an amount comes in: Record
// Conversion through the API, a signed payment webhook, the dashboard's manual conversion, and
// Reverse Conversion's amount_refunded through the API and a signed refund webhook. Each way
// reads an accepted form as the same amount, and refuses the others naming the field, writing
// nothing (a pending referral stands by that a misread amount would convert). The API's
// requests with accepted forms are held to openapi.yaml, so the contract accepts them too.
func TestOneAmountRuleEveryWayIn(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	pr := mustProgram(t, s, "Glow Aesthetics", "a.example")
	admin := s.signedInAdmin(t, pr.practice)
	bookkeeping := []string{"webhook_receipts", "idempotency_keys"}
	unchanged := func(t *testing.T, before map[string][]string) {
		t.Helper()
		after := s.rows(t)
		for _, table := range bookkeeping {
			after[table] = before[table]
		}
		assertSameRows(t, before, after)
	}
	// Each way has its own advocate, who stays under the yearly cap of ten rewards.
	advocates := map[string]string{}
	friend := func(t *testing.T, way string, i int) (email, id string) {
		t.Helper()
		var made struct {
			ID string `json:"id"`
		}
		if advocates[way] == "" {
			mustDo(t, pr.Client, "POST", "/v1/advocates", map[string]any{"name": "Advocate " + way, "email": pr.email(way)}, 201, &made)
			advocates[way] = made.ID
		}
		email = pr.email(fmt.Sprintf("%s.friend%d", way, i))
		mustDo(t, pr.Client, "POST", "/v1/referrals", map[string]any{"advocate_id": advocates[way],
			"friend_name": "Friend " + way, "friend_email": email}, 201, &made)
		return email, made.ID
	}
	// A payment to refund in part, again and again: far more than every refund below.
	refunded, _ := friend(t, "refunds", 0)
	mustDo(t, pr.Client, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-REFUNDS",
		"email": refunded, "amount": "100,000.00"}, 201, nil)
	// Gail's referral is pending: a refused amount misread would convert it.
	gail := pr.email("gail")

	for i, form := range amountForms {
		accepted := form.want != ""
		t.Run("API payment "+form.json, func(t *testing.T) {
			email := gail
			if accepted {
				email, _ = friend(t, "api", i)
			}
			body := map[string]any{"invoice_id": fmt.Sprintf("INV-API-%d", i), "email": email, "amount": json.RawMessage(form.json)}
			c := pr.Client.For(t)
			if !accepted {
				c = c.WithoutRequestCheck()
			}
			before := s.rows(t)
			res := c.Post("/v1/conversions", body)
			wantRead(t, res.Status, res.Body, form, 201, "amount")
			if !accepted {
				unchanged(t, before)
			}
		})
		t.Run("webhook payment "+form.json, func(t *testing.T) {
			email := gail
			if accepted {
				email, _ = friend(t, "hook", i)
			}
			body := fmt.Sprintf(`{"Invoice Number":"INV-HOOK-%d","Patient Email":%q,"Total":%s}`, i, email, form.json)
			before := s.rows(t)
			res := sendWebhook(s.Client.For(t), webhookPath(pr.ID, "payments"), pr.WebhookSecret, fmt.Sprintf("msg_amount_%d", i), body)
			wantRead(t, res.Status, res.Body, form, 201, "amount")
			if !accepted {
				unchanged(t, before)
			}
		})
		t.Run("dashboard manual conversion "+form.json, func(t *testing.T) {
			if strings.TrimSpace(form.text()) == "" {
				t.Skip("the desk may leave the amount out: a blank one is none")
			}
			id := pr.Gail
			if accepted {
				_, id = friend(t, "desk", i)
			}
			invoice := fmt.Sprintf("INV-DESK-%d", i)
			before := s.rows(t)
			status, page := admin.post(t, "/app/conversions/new", "/app/conversions",
				url.Values{"referral_id": {id}, "invoice_id": {invoice}, "amount": {form.text()}})
			if !accepted {
				if status != 422 || !strings.Contains(page, `id="amount-error"`) {
					t.Fatalf("%d, want 422 with the amount's error:\n%s", status, page)
				}
				unchanged(t, before)
				return
			}
			if status != 303 {
				t.Fatalf("%d, want 303 to the dashboard:\n%s", status, page)
			}
			if got := conversionAmount(t, pr, invoice); got != form.want {
				t.Errorf("the conversion of %s is %q, want %s", invoice, got, form.want)
			}
		})
		t.Run("API refund "+form.json, func(t *testing.T) {
			refund := fmt.Sprintf("RF-API-%d", i)
			c := pr.Client.For(t)
			if !accepted {
				c = c.WithoutRequestCheck()
			}
			before := s.rows(t)
			res := c.Post("/v1/conversions/reverse", map[string]any{"invoice_id": "INV-REFUNDS", "refund_id": refund,
				"amount_refunded": json.RawMessage(form.json)})
			wantRefund(t, s, res.Status, res.Body, form, refund)
			if !accepted {
				unchanged(t, before)
			}
		})
		t.Run("webhook refund "+form.json, func(t *testing.T) {
			refund := fmt.Sprintf("RF-HOOK-%d", i)
			body := fmt.Sprintf(`{"Invoice Number":"INV-REFUNDS","Refund ID":%q,"Refund Amount":%s}`, refund, form.json)
			before := s.rows(t)
			res := sendWebhook(s.Client.For(t), webhookPath(pr.ID, "refunds"), pr.WebhookSecret, "msg_refund_"+refund, body)
			wantRefund(t, s, res.Status, res.Body, form, refund)
			if !accepted {
				unchanged(t, before)
			}
		})
	}
}

// wantRead holds an answer to Record Conversion to the form: converted with its amount, or a
// 422 naming the field.
func wantRead(t *testing.T, status int, body []byte, form amountForm, created int, field string) {
	t.Helper()
	if form.want == "" {
		wantRefused(t, status, body, field)
		return
	}
	var res conversionResult
	if err := json.Unmarshal(body, &res); status != created || err != nil || res.Outcome != referral.OutcomeConverted {
		t.Fatalf("%d %s, want %d converted", status, body, created)
	}
	if got := res.Conversion.Amount + " " + res.Conversion.Currency; got != form.want+" USD" {
		t.Errorf("read as %s, want %s USD", got, form.want)
	}
}

// conversionResult is the part of Record Conversion's answer that says what was read.
type conversionResult struct {
	Outcome    string `json:"outcome"`
	Conversion struct {
		Amount   string `json:"amount"`
		Currency string `json:"currency"`
		Reward   struct {
			Amount   string `json:"amount"`
			Currency string `json:"currency"`
		} `json:"reward"`
	} `json:"conversion"`
}

// wantRefund holds an answer to Reverse Conversion to the form: a partial refund of its amount,
// as kept, or a 422 naming amount_refunded.
func wantRefund(t *testing.T, s *server, status int, body []byte, form amountForm, refundID string) {
	t.Helper()
	if form.want == "" {
		wantRefused(t, status, body, "amount_refunded")
		return
	}
	var res referral.ReversalResult
	if err := json.Unmarshal(body, &res); status != 200 || err != nil || res.Outcome != referral.OutcomePartialRefund {
		t.Fatalf("%d %s, want 200 partial_refund", status, body)
	}
	var minor int64
	if err := s.App.DB.SQL().QueryRow("SELECT amount_minor FROM refunds WHERE refund_id = '" + refundID + "'").Scan(&minor); err != nil {
		t.Fatalf("refund %s: %v", refundID, err)
	}
	if got := (referral.Money{Minor: minor, Currency: "USD"}).String(); got != form.want {
		t.Errorf("refund kept as %s, want %s", got, form.want)
	}
}

// wantRefused wants a 422 validation-failed problem naming field.
func wantRefused(t *testing.T, status int, body []byte, field string) {
	t.Helper()
	var p struct {
		Type   string                `json:"type"`
		Errors []referral.FieldError `json:"errors"`
	}
	if err := json.Unmarshal(body, &p); status != 422 || err != nil || p.Type != "/problems/validation-failed" {
		t.Fatalf("%d %s, want 422 validation-failed", status, body)
	}
	for _, e := range p.Errors {
		if e.Field == field {
			return
		}
	}
	t.Errorf("errors %+v do not name %s", p.Errors, field)
}

// conversionAmount is the amount of the practice's conversion of invoice, "" when none.
func conversionAmount(t *testing.T, pr *program, invoice string) string {
	t.Helper()
	var list struct {
		Data []struct {
			InvoiceID string `json:"invoice_id"`
			Amount    string `json:"amount"`
		} `json:"data"`
	}
	mustDo(t, pr.Client, "GET", "/v1/conversions?limit=100", nil, 200, &list)
	for _, c := range list.Data {
		if c.InvoiceID == invoice {
			return c.Amount
		}
	}
	return ""
}

// TestAmountsInYenAndDinars: a practice created in JPY (no decimals) or KWD (three) starts with
// a reward and a minimum that make sense in its currency, shown by GET /v1/me, and reads and
// refuses amounts by its currency's decimals and sign.
func TestAmountsInYenAndDinars(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	for _, tc := range []struct {
		currency, reward, minimum string
		pay, paid                 string   // an amount form and what it reads as
		refused                   []string // amount forms refused in this currency
	}{
		{"JPY", "5000", "1", `"¥12,000"`, "12000", []string{`"12000.00"`, `"12.5"`, `"$12000"`, `"1,20"`}},
		{"KWD", "15.000", "0.001", `"1.250"`, "1.250", []string{`"1.2500"`, `"$15"`, `"1.250,000"`, `"1e1"`}},
	} {
		t.Run(tc.currency, func(t *testing.T) {
			_, secrets, err := s.App.Service.CreatePractice(t.Context(), referral.NewPractice{Name: "Spa " + tc.currency,
				AdminEmail: "owner@" + strings.ToLower(tc.currency) + ".example", Currency: tc.currency})
			if err != nil {
				t.Fatal(err)
			}
			c := s.Client.WithKey(secrets.APIKey).For(t)
			var me struct {
				Currency string `json:"currency"`
				Reward   struct {
					Amount        string `json:"amount"`
					Currency      string `json:"currency"`
					MinimumAmount string `json:"minimum_amount"`
				} `json:"reward"`
			}
			mustDo(t, c, "GET", "/v1/me", nil, 200, &me)
			if me.Currency != tc.currency || me.Reward.Amount != tc.reward || me.Reward.Currency != tc.currency || me.Reward.MinimumAmount != tc.minimum {
				t.Errorf("GET /v1/me: %+v, want a reward of %s %s and a minimum of %s", me, tc.reward, tc.currency, tc.minimum)
			}

			var adv struct {
				ID string `json:"id"`
			}
			mustDo(t, c, "POST", "/v1/advocates", map[string]any{"name": "Jane Avery", "email": "jane@spa.example"}, 201, &adv)
			mustDo(t, c, "POST", "/v1/referrals", map[string]any{"advocate_id": adv.ID, "friend_name": "Fran Fields", "friend_email": "fran@spa.example"}, 201, nil)
			before := s.rows(t)
			for _, form := range tc.refused {
				res := c.WithoutRequestCheck().Post("/v1/conversions", map[string]any{"invoice_id": "INV-1", "email": "fran@spa.example", "amount": json.RawMessage(form)})
				wantRefused(t, res.Status, res.Body, "amount")
			}
			assertSameRows(t, before, s.rows(t))

			var res conversionResult
			mustDo(t, c, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-1", "email": "fran@spa.example", "amount": json.RawMessage(tc.pay)}, 201, &res)
			conv := res.Conversion
			if conv.Amount != tc.paid || conv.Currency != tc.currency || conv.Reward.Amount != tc.reward || conv.Reward.Currency != tc.currency {
				t.Errorf("conversion %+v, want %s paid and %s rewarded, in %s", conv, tc.paid, tc.reward, tc.currency)
			}
		})
	}
}
