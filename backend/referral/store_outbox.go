package referral

// Outbox keeps the events webhooks announce and the hooks subscribed to them; deliveries are
// queued in the transaction that wrote the event.
type Outbox interface {
	// InsertEvent writes an event to the outbox and queues a delivery to every hook subscribed
	// to its type, in the same transaction.
	InsertEvent(e *Event) error
	ListEvents(practiceID string, eventType string, p Page) ([]Event, error)
	InsertHook(h *Hook) error
	DeleteHook(practiceID, id string) (bool, error)
	ListHooks(practiceID string, p Page) ([]Hook, error)
}

// WebhookReceipts keeps the signed webhooks a practice's system sent in, for its staff.
type WebhookReceipts interface {
	InsertWebhookReceipt(r *WebhookReceipt) error
	ListWebhookReceipts(practiceID string, p Page) ([]WebhookReceipt, error)
}
