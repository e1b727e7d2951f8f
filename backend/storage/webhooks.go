package storage

import (
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type webhookReceiptRow struct {
	ID         string
	PracticeID string
	WebhookID  string
	Kind       string
	Outcome    string
	ReceivedAt time.Time
}

func (webhookReceiptRow) TableName() string { return "webhook_receipts" }

func (r *webhookReceiptRow) receipt() referral.WebhookReceipt {
	return referral.WebhookReceipt{ID: r.ID, PracticeID: r.PracticeID, WebhookID: r.WebhookID,
		Kind: r.Kind, Outcome: r.Outcome, ReceivedAt: r.ReceivedAt.UTC()}
}

func (t *tx) InsertWebhookReceipt(r *referral.WebhookReceipt) error {
	return t.insertNew(&webhookReceiptRow{ID: r.ID, PracticeID: r.PracticeID, WebhookID: r.WebhookID,
		Kind: r.Kind, Outcome: r.Outcome, ReceivedAt: r.ReceivedAt}, "webhook receipt "+r.ID)
}

func (t *tx) ListWebhookReceipts(practiceID string, p referral.Page) ([]referral.WebhookReceipt, error) {
	return findAll(page(t.g.Where("practice_id = ?", practiceID), "webhook_receipts", p), (*webhookReceiptRow).receipt, "webhook receipts of practice "+practiceID)
}
