package delivery

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/webhook"
)

// sign adds Standard Webhooks headers, computed as the webhooks AdvocateLoop receives are
// verified: the receiver recomputes the HMAC of "{webhook-id}.{webhook-timestamp}.{body}" with
// the practice's secret to trust the delivery.
func sign(h http.Header, secret, eventID string, at time.Time, body []byte) {
	ts := strconv.FormatInt(at.Unix(), 10)
	if webhook.Sign(secret, eventID, ts, body) == nil {
		return // no secret, no signature; cannot happen for practices we created
	}
	h.Set("webhook-id", eventID)
	h.Set("webhook-timestamp", ts)
	h.Set("webhook-signature", webhook.SignatureHeader(secret, eventID, ts, body))
}

// zapier reports targets on Zapier's own hook host, which authenticates by URL and needs no
// signature.
func zapier(host string) bool {
	return host == "hooks.zapier.com" || strings.HasSuffix(host, ".hooks.zapier.com")
}
