package webhook_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

func signed(secret, id string, at time.Time, body string) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", ts)
	h.Set("webhook-signature", webhook.SignatureHeader(secret, id, ts, []byte(body)))
	return h
}

func TestVerify(t *testing.T) {
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	secret, old, other := referral.NewWebhookSecret(), referral.NewWebhookSecret(), referral.NewWebhookSecret()
	body := `{"invoice_id":"INV-1001","amount":"250.00"}`
	for _, tc := range []struct {
		name    string
		secrets []string
		header  func() http.Header
		body    string
		want    error
	}{
		{"valid", []string{secret}, func() http.Header { return signed(secret, "msg_1", now, body) }, body, nil},
		{"wrong secret", []string{secret}, func() http.Header { return signed(other, "msg_1", now, body) }, body, webhook.ErrNoMatch},
		{"tampered body", []string{secret}, func() http.Header { return signed(secret, "msg_1", now, body) }, `{"invoice_id":"INV-1001","amount":"2500.00"}`, webhook.ErrNoMatch},
		{"tampered timestamp", []string{secret}, func() http.Header {
			h := signed(secret, "msg_1", now, body)
			h.Set("webhook-timestamp", strconv.FormatInt(now.Unix()+1, 10))
			return h
		}, body, webhook.ErrNoMatch},
		{"tampered id", []string{secret}, func() http.Header {
			h := signed(secret, "msg_1", now, body)
			h.Set("webhook-id", "msg_2")
			return h
		}, body, webhook.ErrNoMatch},
		{"too old", []string{secret}, func() http.Header { return signed(secret, "msg_1", now.Add(-6*time.Minute), body) }, body, webhook.ErrBadTimestamp},
		{"too new", []string{secret}, func() http.Header { return signed(secret, "msg_1", now.Add(6*time.Minute), body) }, body, webhook.ErrBadTimestamp},
		{"just inside the window", []string{secret}, func() http.Header { return signed(secret, "msg_1", now.Add(-4*time.Minute), body) }, body, nil},
		{"timestamp not a number", []string{secret}, func() http.Header {
			h := signed(secret, "msg_1", now, body)
			h.Set("webhook-timestamp", "yesterday")
			return h
		}, body, webhook.ErrBadTimestamp},
		{"signed with the previous secret during a rotation", []string{secret, old}, func() http.Header { return signed(old, "msg_1", now, body) }, body, nil},
		{"several signatures, one valid", []string{secret}, func() http.Header {
			h := signed(secret, "msg_1", now, body)
			h.Set("webhook-signature", "v1,bm9wZQ== v2,abc "+h.Get("webhook-signature"))
			return h
		}, body, nil},
		{"right signature, wrong version", []string{secret}, func() http.Header {
			h := signed(secret, "msg_1", now, body)
			h.Set("webhook-signature", "v2"+h.Get("webhook-signature")[2:])
			return h
		}, body, webhook.ErrNoMatch},
		{"missing id", []string{secret}, func() http.Header {
			h := signed(secret, "msg_1", now, body)
			h.Del("webhook-id")
			return h
		}, body, webhook.ErrMissingHeaders},
		{"missing signature", []string{secret}, func() http.Header {
			h := signed(secret, "msg_1", now, body)
			h.Del("webhook-signature")
			return h
		}, body, webhook.ErrMissingHeaders},
		{"no headers", []string{secret}, func() http.Header { return http.Header{} }, body, webhook.ErrMissingHeaders},
		{"not a whsec secret", []string{"not base64!"}, func() http.Header { return signed(secret, "msg_1", now, body) }, body, webhook.ErrNoMatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := webhook.Verify(tc.secrets, tc.header(), []byte(tc.body), now)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
			if err == nil && got.ID != "msg_1" {
				t.Errorf("id = %q", got.ID)
			}
		})
	}
}
