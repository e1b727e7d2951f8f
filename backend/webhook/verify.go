// Package webhook reads payment and refund webhooks from practices without Zapier: it checks
// their Standard Webhooks signature over the raw body, then maps whatever field names the
// sender uses onto a payment or refund event, keeping nothing else.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Tolerance is how far a webhook's timestamp may be from now, either way: older deliveries
// could be replays, newer ones come from a wrong clock.
const Tolerance = 5 * time.Minute

// Why a signature is refused. The messages are safe to show the sender.
var (
	ErrMissingHeaders = errors.New("the webhook-id, webhook-timestamp and webhook-signature headers are required")
	ErrBadTimestamp   = errors.New("webhook-timestamp must be Unix seconds within 5 minutes of now; check the sender's clock")
	ErrNoMatch        = errors.New("no webhook-signature matches this body with the practice's webhook secret")
)

// Signed is a verified webhook's id and timestamp.
type Signed struct {
	ID        string
	Timestamp time.Time
}

// Verify checks the Standard Webhooks headers against the raw body with any of the secrets
// (several during a rotation). The header may carry several space-separated signatures.
func Verify(secrets []string, h http.Header, body []byte, now time.Time) (Signed, error) {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return Signed{}, ErrMissingHeaders
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return Signed{}, ErrBadTimestamp
	}
	at := time.Unix(unix, 0)
	if d := now.Sub(at); d > Tolerance || d < -Tolerance {
		return Signed{}, ErrBadTimestamp
	}
	for _, secret := range secrets {
		want := Sign(secret, id, ts, body)
		if want == nil {
			continue
		}
		for _, sig := range strings.Fields(sigs) {
			version, value, ok := strings.Cut(sig, ",")
			if !ok || version != "v1" {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(value)
			if err == nil && hmac.Equal(got, want) { // constant time
				return Signed{ID: id, Timestamp: at}, nil
			}
		}
	}
	return Signed{}, ErrNoMatch
}

// Sign is the HMAC-SHA256 of "id.timestamp.body" with a whsec_ secret, or nil for a secret
// that is not one.
func Sign(secret, id, timestamp string, body []byte) []byte {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return nil
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	return mac.Sum(nil)
}

// SignatureHeader is the webhook-signature value for a body: "v1,<base64>".
func SignatureHeader(secret, id, timestamp string, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(Sign(secret, id, timestamp, body))
}
