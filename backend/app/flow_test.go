package app_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/logging"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// TestReferralProgram walks the README's quickstart through the real server: an advocate, a
// friend's referral, the friend's payment, its replay and its refund.
func TestReferralProgram(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(logging.New(&logs))
	t.Cleanup(func() { slog.SetDefault(prev) })

	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	c := p.Client

	var me struct {
		Name string `json:"name"`
		Slug string `json:"slug"`
	}
	c.Get("/v1/me").JSON(t, &me)
	if me.Name != "Glow Aesthetics" || me.Slug != "glow-aesthetics" {
		t.Fatalf("me = %+v", me)
	}

	res := c.Post("/v1/advocates", map[string]any{"name": "Jane Avery", "email": " Jane.Avery@Example.com "})
	if res.Status != 201 {
		t.Fatalf("create advocate: %d %s", res.Status, res.Body)
	}
	var jane referral.Advocate
	res.JSON(t, &jane)
	if jane.Email != "jane.avery@example.com" || jane.URL != "https://refer.example.com/r/"+jane.Code {
		t.Fatalf("advocate = %+v", jane)
	}
	if again := c.Post("/v1/advocates", map[string]any{"name": "Jane", "email": "jane.avery@example.com"}); again.Status != 200 {
		t.Fatalf("same advocate again: %d, want 200", again.Status)
	}

	res = c.Post("/v1/referrals", map[string]any{"referral_code": strings.ToLower(jane.Code),
		"friend_name": "Fran Fields", "friend_email": "fran@example.com"})
	if res.Status != 201 {
		t.Fatalf("create referral: %d %s", res.Status, res.Body)
	}

	payment := map[string]any{"invoice_id": "INV-1001", "payment_id": "PAY-1", "email": "FRAN@example.com",
		"first_name": "Fran", "last_name": "Fields", "amount": "250.00", "status": "Paid",
		// What a point of sale also sends, and we must never keep:
		"treatment": "Botox Cosmetic 20 units", "date_of_birth": "1990-04-01", "notes": "allergic to lidocaine"}
	res = c.Post("/v1/conversions", payment)
	if res.Status != 201 {
		t.Fatalf("record conversion: %d %s", res.Status, res.Body)
	}
	var first referral.ConversionResult
	res.JSON(t, &first)
	if first.Outcome != "converted" || !first.Matched || first.Conversion == nil || first.Conversion.Reward == nil {
		t.Fatalf("conversion = %+v", first)
	}
	var raw struct {
		Conversion struct {
			Amount string `json:"amount"`
			Reward struct {
				Code   string `json:"code"`
				Amount string `json:"amount"`
			} `json:"reward"`
		} `json:"conversion"`
	}
	res.JSON(t, &raw)
	if raw.Conversion.Amount != "250.00" || raw.Conversion.Reward.Amount != "50.00" || !strings.HasPrefix(raw.Conversion.Reward.Code, "AL-") {
		t.Fatalf("money and code = %+v", raw)
	}

	res = c.Post("/v1/conversions", payment)
	var replay referral.ConversionResult
	res.JSON(t, &replay)
	if res.Status != 200 || !replay.Replayed || replay.Conversion.ID != first.Conversion.ID {
		t.Fatalf("replay: %d %+v", res.Status, replay)
	}

	res = c.Post("/v1/conversions", map[string]any{"invoice_id": "INV-2000", "email": "stranger@example.com", "amount": 80})
	var stranger referral.ConversionResult
	res.JSON(t, &stranger)
	if res.Status != 200 || stranger.Matched || stranger.Outcome != "no_match" {
		t.Fatalf("stranger: %d %+v", res.Status, stranger)
	}

	res = c.Post("/v1/conversions/reverse", map[string]any{"invoice_id": "INV-1001", "refund_id": "R-1"})
	var reversal referral.ReversalResult
	res.JSON(t, &reversal)
	if res.Status != 200 || reversal.Outcome != "reversed" || reversal.Conversion.Reward.Status != "voided" {
		t.Fatalf("reverse: %d %+v", res.Status, reversal)
	}

	var events struct {
		Data []referral.Event `json:"data"`
	}
	c.Get("/v1/events").JSON(t, &events)
	var types []string
	for _, e := range events.Data {
		types = append(types, e.Type)
	}
	if got := strings.Join(types, " "); got != "conversion.reversed conversion.recorded referral.created advocate.created" {
		t.Fatalf("events = %s", got)
	}

	// Nothing the API does not read is stored anywhere, and the stranger left nothing behind.
	for table, rows := range s.rows(t) {
		for _, row := range rows {
			for _, secret := range []string{"Botox", "1990-04-01", "lidocaine", "stranger"} {
				if strings.Contains(row, secret) {
					t.Errorf("%s stores %q: %s", table, secret, row)
				}
			}
		}
	}
	// Logs carry no email and no body.
	for _, secret := range []string{"jane.avery@example.com", "fran@example.com", "FRAN@example.com", "Botox", "Fran Fields"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
	if !strings.Contains(logs.String(), `"path":"/v1/conversions"`) {
		t.Errorf("requests are not logged: %s", logs.String())
	}
}
