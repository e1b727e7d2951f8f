package referral

import "time"

// Practices keeps the practices and their settings.
//
// LockPractice holds the practice's row until the transaction ends and reads it afresh.
// Operations that check a rule across rows (the plan limit, a refund against its invoice's
// conversion) take it first, so servers sharing one database queue instead of racing.
// SharePractice holds it too, but only against those: payments recorded at the same moment
// do not queue for each other (their own rules lock the friend's referral and its advocate).
// Both take the hash of the request's API key, when it came with one, and find no practice
// once that key is revoked.
type Practices interface {
	CreatePractice(p *Practice) (bool, error)
	LockPractice(id, keyHash string) (*Practice, error)
	SharePractice(id, keyHash string) (*Practice, error)
	UpdatePractice(p *Practice) error
	PracticeBySlug(slug string) (*Practice, error)
	PracticeByID(id string) (*Practice, error)
	// PracticeByAPIKey finds the practice of an unrevoked key, by the key's hash.
	PracticeByAPIKey(hash string) (*Practice, error)
	CountPractices() (int, error)
}

// APIKeys keeps the keys a practice's systems call the API with; only their hashes.
type APIKeys interface {
	CreateAPIKey(k *APIKey) error
	ListAPIKeys(practiceID string) ([]APIKey, error)
	// RevokeAPIKey is false when the practice has no such key; revoking twice is not an error.
	RevokeAPIKey(practiceID, id string, at time.Time) (bool, error)
}

// WidgetRefusals keeps the last site each practice's widget was refused on, for its staff.
type WidgetRefusals interface {
	SaveWidgetRefusal(practiceID string, r WidgetRefusal) error
	WidgetRefusal(practiceID string) (*WidgetRefusal, error)
}
