package delivery

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// sign adds Standard Webhooks headers: the receiver recomputes the HMAC of
// "{webhook-id}.{webhook-timestamp}.{body}" with the practice's secret to trust the delivery.
func sign(h http.Header, secret, eventID string, at time.Time, body []byte) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return // no secret, no signature; cannot happen for practices we created
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(eventID + "." + ts + "."))
	mac.Write(body)
	h.Set("webhook-id", eventID)
	h.Set("webhook-timestamp", ts)
	h.Set("webhook-signature", "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
}

// zapier reports targets on Zapier's own hook host, which authenticates by URL and needs no
// signature.
func zapier(host string) bool {
	return host == "hooks.zapier.com" || strings.HasSuffix(host, ".hooks.zapier.com")
}
