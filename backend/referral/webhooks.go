package referral

import (
	"context"
	"time"
)

// Webhook kinds: the fallback for practices without Zapier.
const (
	PaymentWebhook = "payment"
	RefundWebhook  = "refund"
)

// WebhookReceipt is what the practice sees of a webhook it sent: when, which, and what came of
// it. Never the payload.
type WebhookReceipt struct {
	ID         string    `json:"id"`
	PracticeID string    `json:"-"`
	WebhookID  string    `json:"webhook_id"`
	Kind       string    `json:"kind"`
	Outcome    string    `json:"outcome"` // an outcome such as converted, or the problem slug
	ReceivedAt time.Time `json:"received_at"`
}

// WebhookSecrets are the secrets a practice's webhooks may be signed with now: the current one,
// and during a rotation the previous one until it expires.
func (p *Practice) WebhookSecrets(now time.Time) []string {
	secrets := []string{p.WebhookSecret}
	if p.PreviousWebhookSecret != "" && now.Before(p.PreviousSecretExpiresAt) {
		secrets = append(secrets, p.PreviousWebhookSecret)
	}
	return secrets
}

// WebhookPractice finds the practice a webhook's URL names, to check its signature with that
// practice's secrets: one lookup by key, however many practices there are. It is nil, without
// an error, when no practice has this id or the id is not shaped like one, so the caller can
// answer exactly as it does a wrong signature and the URL tells a stranger nothing.
func (s *Service) WebhookPractice(ctx context.Context, id string) (*Practice, error) {
	if !IsID("prc", id) {
		return nil, nil
	}
	var p *Practice
	err := s.inTx(ctx, func(tx Tx) (err error) {
		p, err = tx.PracticeByID(id)
		return err
	})
	return p, err
}

// RotateWebhookSecret issues a new secret; the old one keeps working for overlap, so the
// sender can switch without losing a payment.
func (s *Service) RotateWebhookSecret(ctx context.Context, p *Practice, overlap time.Duration) (string, error) {
	secret := NewWebhookSecret()
	err := s.inTx(ctx, func(tx Tx) error {
		current, err := lockPractice(tx, p)
		if err != nil {
			return err
		}
		current.PreviousWebhookSecret, current.PreviousSecretExpiresAt = current.WebhookSecret, s.Now().Add(overlap)
		current.WebhookSecret = secret
		return tx.UpdatePractice(current)
	})
	return secret, err
}

// RecordWebhookReceipt keeps the time and outcome of a webhook.
func (s *Service) RecordWebhookReceipt(ctx context.Context, p *Practice, webhookID, kind, outcome string) error {
	now := s.Now()
	r := &WebhookReceipt{ID: NewID("whr", now), PracticeID: p.ID, WebhookID: webhookID, Kind: kind,
		Outcome: outcome, ReceivedAt: now}
	return s.inTx(ctx, func(tx Tx) error { return tx.InsertWebhookReceipt(r) })
}

// WebhookReceipts lists the webhooks a practice sent, newest first.
func (s *Service) WebhookReceipts(ctx context.Context, p *Practice, pg Page) ([]WebhookReceipt, string, error) {
	return list(s, ctx, pg, "whr", func(tx Tx, pg Page) ([]WebhookReceipt, error) {
		return tx.ListWebhookReceipts(p.ID, pg)
	}, func(r WebhookReceipt) string { return r.ID })
}
