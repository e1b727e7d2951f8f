package app_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/config"
)

// An unsigned or forged webhook costs the same however many practices there are: it names its
// practice in the URL and is checked against that practice's secrets alone. Each request comes
// from its own address (through a trusted proxy), so the per-address limit, which would answer
// 429 before any lookup, never cuts the measurement short.
func BenchmarkUnsignedWebhook(b *testing.B) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	b.Cleanup(func() { slog.SetDefault(prev) })
	for _, practices := range []int{1, 2000} {
		s := mustServe(b, func(c *config.Config) {
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		})
		var id string
		for i := range practices {
			id = s.mustPractice(b, fmt.Sprintf("Spa %d", i)).ID
		}
		url := s.URL + webhookPath(id, "payments")
		body := []byte(`{"invoice_number":"INV-1","email":"fran@example.com","total":"50"}`)
		for _, kind := range []string{"no signature", "forged signature"} {
			b.Run(fmt.Sprintf("practices=%d/%s", practices, kind), func(b *testing.B) {
				i := 0
				for b.Loop() {
					req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.18.%d.%d", i/250%8, i%250))
					if kind == "forged signature" {
						req.Header.Set("webhook-id", "msg_1")
						req.Header.Set("webhook-timestamp", strconv.FormatInt(time.Now().Unix(), 10))
						req.Header.Set("webhook-signature", "v1,bm90IGEgc2lnbmF0dXJlIG9mIHRoaXMgYm9keQ==")
					}
					res, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					res.Body.Close()
					if res.StatusCode != http.StatusUnauthorized {
						b.Fatalf("HTTP %d, want 401", res.StatusCode)
					}
					i++
				}
			})
		}
	}
}
