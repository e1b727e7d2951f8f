package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

// webhookPath is where a practice's signed payment or refund webhooks go ("payments" or
// "refunds"): /v1/webhooks/{practice_id}/payments, or the older /v1/webhooks/payments on a
// server that finds the practice by signature alone. One unsigned probe tells them apart.
func (s *stack) webhookPath(ctx context.Context, practiceID, kind string) string {
	if s.legacyWebhooks == nil {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost,
			s.server().URL()+"/v1/webhooks/"+practiceID+"/payments", strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		legacy := false
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			legacy = res.StatusCode == http.StatusNotFound
		}
		s.legacyWebhooks = &legacy
	}
	if *s.legacyWebhooks {
		return "/v1/webhooks/" + kind
	}
	return "/v1/webhooks/" + practiceID + "/" + kind
}

// signed is a webhook request signed per Standard Webhooks with a practice's whsec_ secret.
func signed(path, secret string, body []byte) harness.Request {
	id := "msg_" + harness.NewKey()[6:]
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	return harness.Request{Method: http.MethodPost, Path: path, Body: body, Header: http.Header{
		"Webhook-Id":        {id},
		"Webhook-Timestamp": {ts},
		"Webhook-Signature": {webhook.SignatureHeader(secret, id, ts, body)},
	}}
}
