package referral

import "time"

// FirstRunTokens keeps the one-time tokens, by hash, that let /setup create the first
// practice. ClaimFirstRunToken deletes them all, telling whether hash was one, unexpired: the
// caller's transaction must fail when it was not.
type FirstRunTokens interface {
	InsertFirstRunToken(hash string, at, expires time.Time) error
	FirstRunTokenValid(hash string, now time.Time) (bool, error)
	ClaimFirstRunToken(hash string, now time.Time) (bool, error)
}

// Checklist reads what the home page's set-up checklist needs, and the steps dismissed.
type Checklist interface {
	// PaymentReceived tells whether a payment ever came from the practice's own system (the
	// API or a signed webhook), not marked by hand.
	PaymentReceived(practiceID string) (bool, error)
	ChecklistDismissals(practiceID string) ([]string, error)
	// InsertChecklistDismissal returns false when the step was dismissed already.
	InsertChecklistDismissal(practiceID, step string, at time.Time) (bool, error)
}

// ServerKeys keeps secrets every server shares; InsertServerKey returns false when name
// already has one.
type ServerKeys interface {
	ServerKey(name string) (string, error)
	InsertServerKey(name, secret string, at time.Time) (bool, error)
}
