package referral

import "context"

// Store runs domain operations in database transactions. An implementation retries fn when
// the database reports a conflict between concurrent transactions, so fn must only set its
// results, never accumulate them.
type Store interface {
	InTx(ctx context.Context, fn func(Tx) error) error
}

// Tx is everything the referral rules read and write, inside one transaction: one store per
// entity, each the size of what its rules need. Every lookup is scoped to a practice. Lookups
// return nil, nil when nothing matches. Insert… returns false, without failing the
// transaction, when a unique key is already taken.
type Tx interface {
	Practices
	APIKeys
	WidgetRefusals
	StaffAccounts
	Sessions
	SignInFailures
	Advocates
	AdvocateSignIns
	Referrals
	NearMisses
	Payments
	Conversions
	Refunds
	Rewards
	Outbox
	WebhookReceipts
	Messages
	EmailStops
	FirstRunTokens
	Checklist
	ServerKeys
}

// Page asks for up to Limit items older than the item whose id is Cursor (newest first).
type Page struct {
	Limit  int
	Cursor string
}

// MaxPageSize is the largest page a list answers.
const MaxPageSize = 100
