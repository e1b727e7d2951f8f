package app_test

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/apitest"
	"github.com/advocateloop/advocateloop/backend/app"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

// The server reads one clock: a test that moves it moves webhook signatures' freshness and the
// rate limits too, not only the referral rules. Each check below fails if its part reads the
// machine's clock instead.
func TestOneClockMovesTheWholeServer(t *testing.T) {
	t.Parallel()
	var ahead atomic.Int64
	ahead.Store(int64(72 * time.Hour))
	now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	s := mustServeWith(t, func(a *app.App) { a.Service.Clock = now },
		func(c *config.Config) { c.RateLimit = 0.5 }) // one request per practice, then one every two seconds
	p := s.mustPractice(t, "Glow Aesthetics")

	// A signature is fresh by the server's clock: made three days "ago" by the machine's, it is
	// refused; made at the server's now, it is taken.
	body := []byte(`{"invoice_number":"INV-1","email":"nobody@example.com","amount_paid":10}`)
	signed := func(id string, at time.Time) *apitest.Response {
		ts := strconv.FormatInt(at.Unix(), 10)
		return s.Client.RawDo("POST", webhookPath(p.ID, "payments"), body, "application/json",
			"webhook-id", id, "webhook-timestamp", ts, "webhook-signature", webhook.SignatureHeader(p.WebhookSecret, id, ts, body))
	}
	if res := signed("msg_machine", time.Now()); res.Status != http.StatusUnauthorized {
		t.Errorf("a webhook signed by the machine's clock, three days behind the server's: %d, want 401", res.Status)
	}
	if res := signed("msg_server", now()); res.Status != http.StatusOK {
		t.Errorf("a webhook signed at the server's now: %d, want 200", res.Status)
	}

	// The practice's allowance refills as the server's clock runs, not the machine's (the
	// webhook above took its one token).
	ahead.Add(int64(10 * time.Second))
	if res := p.Client.Get("/v1/me"); res.Status != http.StatusOK {
		t.Fatalf("first request: %d", res.Status)
	}
	if res := p.Client.Get("/v1/me"); res.Status != http.StatusTooManyRequests {
		t.Fatalf("second request at once: %d, want 429", res.Status)
	}
	ahead.Add(int64(10 * time.Second))
	if res := p.Client.Get("/v1/me"); res.Status != http.StatusOK {
		t.Errorf("after the server's clock moved ten seconds: %d, want 200", res.Status)
	}
}
