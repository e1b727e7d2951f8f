package app_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/apitest"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// notText is what the domain tells a field holding a NUL or bytes that are not UTF-8.
const notText = "must be UTF-8 text without NUL characters"

// TestTextRefusedEveryWayIn sends a NUL and bytes that are not UTF-8 the ways text reaches
// storage: a signed webhook's payments and refunds (which answered 500 on PostgreSQL), the API,
// a patient page and dashboard forms. Each answers the same 422 naming the field, and writes
// nothing of it: only the webhook's own bookkeeping (its receipt, its idempotency key) changes.
func TestTextRefusedEveryWayIn(t *testing.T) {
	t.Parallel()
	s := mustServe(t, func(c *config.Config) { c.PublicURL = "http://refer.example.com" }) // cookies not Secure
	pr := mustProgram(t, s, "Glow Aesthetics", "a.example")
	bookkeeping := []string{"webhook_receipts", "idempotency_keys"}

	unchanged := func(t *testing.T, before map[string][]string, except ...string) {
		t.Helper()
		after := s.rows(t)
		for _, table := range except {
			after[table] = before[table]
		}
		assertSameRows(t, before, after)
	}
	webhooks := []struct{ name, kind, body, field string }{
		{"payment: NUL in the invoice number", "payments", `{"Invoice Number":"INV-\u0000","Total":"250.00","Patient Email":"fran@a.example"}`, "invoice_id"},
		{"payment: NUL in the payment id", "payments", `{"invoice_number":"INV-9","payment_id":"P\u0000","total":"250.00"}`, "payment_id"},
		{"payment: a name not UTF-8", "payments", "{\"invoice_number\":\"INV-9\",\"total\":\"250.00\",\"Patient Name\":\"Jos\xe9 Ruiz\"}", "name"},
		{"payment: NUL in the email", "payments", `{"invoice_number":"INV-9","total":"250.00","email":"fran\u0000@a.example"}`, "email"},
		{"refund: NUL in the invoice number", "refunds", `{"Invoice Number":"INV-1\u0000"}`, "invoice_id"},
		{"refund: NUL in the refund id", "refunds", `{"invoice_number":"INV-1","refund_id":"RF\u0000"}`, "refund_id"},
		{"refund: a refund id not UTF-8", "refunds", "{\"invoice_number\":\"INV-1\",\"refund_id\":\"RF-\xff\"}", "refund_id"},
	}
	for i, tc := range webhooks {
		t.Run("webhook "+tc.name, func(t *testing.T) {
			before := s.rows(t)
			res := sendWebhook(s.Client.For(t), webhookPath(pr.ID, tc.kind), pr.WebhookSecret, "msg_text_"+string(rune('a'+i)), tc.body)
			wantNotText(t, res, tc.field)
			unchanged(t, before, bookkeeping...)
		})
	}

	for _, tc := range []struct{ name, path, body, field string }{
		{"payment: NUL in the invoice id", "/v1/conversions", `{"invoice_id":"INV-\u0000","amount":"250.00"}`, "invoice_id"},
		{"payment: a name not UTF-8", "/v1/conversions", "{\"invoice_id\":\"INV-9\",\"amount\":\"250.00\",\"name\":\"Jos\xe9\"}", "name"},
		{"refund: NUL in the refund id", "/v1/conversions/reverse", `{"invoice_id":"INV-1","refund_id":"\u0000"}`, "refund_id"},
		{"advocate: an email not UTF-8", "/v1/advocates", "{\"name\":\"Nia\",\"email\":\"ni\xffa@a.example\"}", "email"},
	} {
		t.Run("API "+tc.name, func(t *testing.T) {
			before := s.rows(t)
			res := pr.Client.For(t).RawDo("POST", tc.path, []byte(tc.body), "application/json")
			wantNotText(t, res, tc.field)
			unchanged(t, before)
		})
	}

	t.Run("patient page: join with a NUL in the name", func(t *testing.T) {
		before := s.rows(t)
		status, page := postPage(t, http.DefaultClient, s.URL+"/p/"+pr.Slug, url.Values{"name": {"Ni\x00a"}, "email": {"nia@a.example"}})
		if status != 422 || !strings.Contains(page, "Your name "+notText) {
			t.Errorf("%d, want 422 saying the name %s:\n%s", status, notText, page)
		}
		unchanged(t, before)
	})

	admin := s.signedInAdmin(t, pr.practice)
	for _, tc := range []struct{ name, from, path string }{
		{"mark a conversion with a NUL in the invoice id", "/app/conversions/new", "/app/conversions"},
		{"invite a colleague whose email is not UTF-8", "/app/staff", "/app/staff"},
	} {
		t.Run("dashboard: "+tc.name, func(t *testing.T) {
			form := url.Values{"referral_id": {pr.Gail}, "invoice_id": {"INV-\x00"}, "email": {"desk\xff@a.example"}, "role": {"front_desk"}}
			before := s.rows(t)
			status, page := admin.post(t, tc.from, tc.path, form)
			if status != 422 || !strings.Contains(page, notText) {
				t.Errorf("%d, want 422 saying the field %s:\n%s", status, notText, page)
			}
			unchanged(t, before)
		})
	}

	// Looking something up by such text finds nothing, as PostgreSQL could not even compare it.
	for _, tc := range []struct {
		name, from, path string
		form             url.Values
		status           int
	}{
		{"redeem a code with a NUL", "/app/rewards", "/app/rewards/redeem", url.Values{"code": {pr.Issued + "\x00"}}, 404},
		{"undo a code not UTF-8", "/app/rewards", "/app/rewards/undo", url.Values{"code": {"AL-\xff"}}, 404},
		{"confirm a near-miss whose id has a NUL", "/app/near-misses", "/app/near-misses/%00/confirm", url.Values{}, 404},
		{"revoke an API key whose id is not UTF-8", "/app/settings", "/app/settings/api-keys/%FF/revoke", url.Values{}, 404},
		{"sign in with a NUL in the email", "/login", "/login", url.Values{"email": {"owner\x00@a.example"}, "password": {"x"}}, 401},
	} {
		t.Run("dashboard: "+tc.name, func(t *testing.T) {
			before := s.rows(t)
			if status, page := admin.post(t, tc.from, tc.path, tc.form); status != tc.status {
				t.Errorf("%d, want %d:\n%s", status, tc.status, page)
			}
			unchanged(t, before, "login_failures")
		})
	}
}

// TestWebhookRefusesWhatTheAPIRefuses sends a signed webhook what the API refuses: a field
// given twice (which read as the last one), and a blank refund amount (which read as a full
// refund and voided the reward). Both answer 422 naming the field, and the reward stands.
func TestWebhookRefusesWhatTheAPIRefuses(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	pr := mustProgram(t, s, "Glow Aesthetics", "a.example")
	bookkeeping := []string{"webhook_receipts", "idempotency_keys"}
	for i, tc := range []struct{ name, kind, body, field string }{
		{"a payment's amount twice", "payments", `{"invoice_number":"INV-50","email":"gail@a.example","amount":"1.00","amount":"999.00"}`, "amount"},
		{"a payment's email twice, nested", "payments", `{"invoice_number":"INV-50","amount":"250.00","patient":{"email":"gail@a.example","email":"fran@a.example"}}`, "patient.email"},
		{"a refund's invoice twice", "refunds", `{"Invoice Number":"INV-2","Invoice Number":"INV-3"}`, "Invoice Number"},
		{"a refund's amount blank", "refunds", `{"invoice_number":"INV-2","amount_refunded":""}`, "amount_refunded"},
		{"a refund's amount blank, under another name", "refunds", `{"invoice_number":"INV-2","Refund Amount":" "}`, "amount_refunded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.rows(t)
			res := sendWebhook(s.Client.For(t), webhookPath(pr.ID, tc.kind), pr.WebhookSecret, "msg_gap_"+string(rune('a'+i)), tc.body)
			if res.Status != 422 {
				t.Fatalf("%d, want 422\n\t%s", res.Status, res.Body)
			}
			if p := res.Problem(t); p.Slug() != "validation-failed" {
				t.Errorf("%s, want validation-failed", p.Type)
			} else if _, ok := p.Field(tc.field); !ok {
				t.Errorf("errors %+v do not name %s", p.Errors, tc.field)
			}
			after := s.rows(t)
			for _, table := range bookkeeping {
				after[table] = before[table]
			}
			assertSameRows(t, before, after)
		})
	}
	var rewards struct {
		Data []struct {
			Status string `json:"status"`
		} `json:"data"`
	}
	mustDo(t, pr.Client, "GET", "/v1/rewards?code="+pr.Issued, nil, 200, &rewards)
	if len(rewards.Data) != 1 || rewards.Data[0].Status != "issued" {
		t.Errorf("INV-2's reward: %+v, want it still issued", rewards.Data)
	}
}

// wantNotText wants res to be the 422 that names field as not text.
func wantNotText(t *testing.T, res *apitest.Response, field string) {
	t.Helper()
	if res.Status != 422 {
		t.Fatalf("%d, want 422\n\t%s", res.Status, res.Body)
	}
	p := res.Problem(t)
	if f, ok := p.Field(field); p.Slug() != "validation-failed" || !ok || f.Detail != notText {
		t.Errorf("%s %+v, want validation-failed saying %s %s", p.Type, p.Errors, field, notText)
	}
}

// staffBrowser is a browser signed in to the dashboard.
type staffBrowser struct {
	url    string
	client *http.Client
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signedInAdmin invites an admin to p, sets their password and signs them in through /login.
func (s *server) signedInAdmin(tb testing.TB, p *practice) *staffBrowser {
	tb.Helper()
	const password = "correct horse battery"
	email := "owner@" + p.Slug + ".example"
	_, token, err := s.App.Service.InviteStaff(tb.Context(), p.Practice, referral.NewStaff{Email: email, Role: referral.Admin})
	if err == nil {
		_, err = s.App.Service.SetPassword(tb.Context(), token, password, password)
	}
	if err != nil {
		tb.Fatalf("admin: %v", err)
	}
	jar, _ := cookiejar.New(nil)
	b := &staffBrowser{url: s.URL, client: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if status, page := b.post(tb, "/login", "/login", url.Values{"email": {email}, "password": {password}}); status != http.StatusSeeOther {
		tb.Fatalf("sign in: %d\n%s", status, page)
	}
	return b
}

// post sends a form to path from the page at from, with that page's CSRF token.
func (b *staffBrowser) post(tb testing.TB, from, path string, form url.Values) (int, string) {
	tb.Helper()
	res, err := b.client.Get(b.url + from)
	if err != nil {
		tb.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if m := csrfField.FindSubmatch(page); m != nil {
		form.Set("csrf", string(m[1]))
	}
	return postPage(tb, b.client, b.url+path, form)
}

// postPage posts a form and reads the page that answers.
func postPage(tb testing.TB, c *http.Client, u string, form url.Values) (int, string) {
	tb.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(page)
}
