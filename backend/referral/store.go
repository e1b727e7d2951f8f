package referral

import (
	"context"
	"time"
)

// Store runs domain operations in database transactions. An implementation retries fn when
// the database reports a conflict between concurrent transactions, so fn must only set its
// results, never accumulate them.
type Store interface {
	InTx(ctx context.Context, fn func(Tx) error) error
}

// Tx is everything the referral rules read and write, inside one transaction. Every lookup is
// scoped to a practice. Lookups return nil, nil when nothing matches. Insert… returns false,
// without failing the transaction, when a unique key is already taken.
//
// LockPractice holds the practice's row until the transaction ends and reads it afresh.
// Operations that check a rule across rows (the plan limit, a refund against its invoice's
// conversion) take it first, so servers sharing one database queue instead of racing.
// SharePractice holds it too, but only against those: payments recorded at the same moment
// do not queue for each other (their own rules lock the friend's referral and its advocate).
// Both take the hash of the request's API key, when it came with one, and find no practice
// once that key is revoked.
type Tx interface {
	CreatePractice(p *Practice) (bool, error)
	LockPractice(id, keyHash string) (*Practice, error)
	SharePractice(id, keyHash string) (*Practice, error)
	UpdatePractice(p *Practice) error
	PracticeBySlug(slug string) (*Practice, error)
	PracticeByID(id string) (*Practice, error)
	CountPractices() (int, error)
	// SaveWidgetRefusal keeps the last site the practice's widget was refused on.
	SaveWidgetRefusal(practiceID string, r WidgetRefusal) error
	WidgetRefusal(practiceID string) (*WidgetRefusal, error)
	PracticeByAPIKey(hash string) (*Practice, error)
	CreateAPIKey(k *APIKey) error
	// CreateStaff returns false when the practice already has staff with that email.
	CreateStaff(s *Staff) (bool, error)
	StaffByID(practiceID, id string) (*Staff, error)
	StaffBySetupToken(hash string) (*Staff, error)
	// StaffByEmail finds the accounts with this email in every practice.
	StaffByEmail(email string) ([]Staff, error)
	UpdateStaff(s *Staff) error
	ListStaff(practiceID string) ([]Staff, error)
	DeleteStaff(practiceID, id string) error
	ListAPIKeys(practiceID string) ([]APIKey, error)
	RevokeAPIKey(practiceID, id string, at time.Time) (bool, error)

	// Sign-in failures are kept by a hash of the email and the client's address, and only for
	// the lock-out window.
	CountLoginFailures(key string, since time.Time) (int, error)
	InsertLoginFailure(key string, at time.Time) error
	ClearLoginFailures(key string) error
	InsertSession(s *Session) error
	SessionByHash(hash string) (*Session, error)
	UpdateSession(s *Session) error
	DeleteSession(hash string) error
	// DeleteStaffSessions ends every session of one staff member.
	DeleteStaffSessions(practiceID, staffID string) error

	AdvocateByID(practiceID, id string) (*Advocate, error)
	AdvocateByEmail(practiceID, email string) (*Advocate, error)
	AdvocateByCode(practiceID, code string) (*Advocate, error)
	// Invitation finds a referral code's advocate in any practice, with that practice.
	Invitation(code string) (*Practice, *Advocate, error)
	CountActiveAdvocates(practiceID string) (int, error)
	InsertAdvocate(a *Advocate) (bool, error)
	UpdateAdvocate(a *Advocate) error
	ListAdvocates(practiceID string, f AdvocateFilter, p Page) ([]Advocate, error)

	ReferralByID(practiceID, id string) (*Referral, error)
	ReferralByFriendEmail(practiceID, email string) (*Referral, error)
	// ReferralForPayment finds a paying friend's referral and holds it and its advocate until
	// the transaction ends: a friend's two payments, or two friends of an advocate at the
	// yearly cap, queue rather than race.
	ReferralForPayment(practiceID, email string) (*Referral, error)
	// NearMissCandidates lists, newest first, every pending referral whose friend's name could
	// be close to a payer's with these NameKeys: the same last name, and a first name that is
	// the same, a prefix of the other, or could be one edit away (same length give or take
	// one, and the same first letter or the same rest). closeNames decides among them.
	NearMissCandidates(practiceID, firstName, lastName string) ([]Referral, error)
	InsertReferral(r *Referral) (bool, error)
	UpdateReferral(r *Referral) error
	ListReferrals(practiceID string, f ReferralFilter, p Page) ([]Referral, error)

	PaymentByKey(practiceID, invoiceID, paymentID string) (*Payment, error)
	// InsertPayment claims the payment's natural key (false: a payment with it exists) and
	// reads, in the same statement, what was refunded of its invoice before it.
	InsertPayment(p *Payment) (bool, Refunded, error)
	// UpdatePayment records what came of the payment: its outcome, referral and conversion.
	UpdatePayment(p *Payment) error

	ConversionByID(practiceID, id string) (*Conversion, error)
	// StandingConversion is the referral's conversion that was not reversed, if any.
	StandingConversion(practiceID, referralID string) (*Conversion, error)
	// ConversionByInvoice is the invoice's standing conversion, or else its latest reversed one.
	ConversionByInvoice(practiceID, invoiceID string) (*Conversion, error)
	// ConvertReferral inserts c and marks its referral converted at c.CreatedAt; false when
	// the referral or the invoice has a standing conversion already.
	ConvertReferral(c *Conversion) (bool, error)
	UpdateConversion(c *Conversion) error
	ListConversions(practiceID string, f ConversionFilter, p Page) ([]Conversion, error)
	// Leaderboard counts rewarded conversions per advocate since a time, most first.
	Leaderboard(practiceID string, since time.Time, limit int) ([]AdvocateCount, error)

	RewardByCode(practiceID, code string) (*Reward, error)
	// IssueReward inserts r, or, when r's advocate already has capAt pending, issued or
	// redeemed rewards for payments made in [from, to), inserts it capped, without a code or a
	// hold (r tells which). It
	// counts and inserts in one statement, under the advocate's lock (ReferralForPayment).
	// False when the conversion has a reward already or r's code is taken.
	IssueReward(r *Reward, capAt int, from, to time.Time) (bool, error)
	UpdateReward(r *Reward) error
	ListRewards(practiceID string, f RewardFilter, p Page) ([]Reward, error)
	// HeldRewardDue finds a pending reward, of any practice, whose hold ended by now, and holds
	// it and (as SharePractice does) its practice until the transaction ends, so a refund of
	// its conversion waits for the release or comes first. On PostgreSQL it skips rewards that
	// another transaction holds, or whose practice a refund holds, so servers releasing at once
	// take different rewards and none waits. Nil when none is due.
	HeldRewardDue(now time.Time) (*Reward, error)
	// IssueHeldReward gives a pending reward r's code and issued time, and status issued;
	// false when it is no longer pending.
	IssueHeldReward(r *Reward) (bool, error)

	// RefundByKey finds the refund r replays: the same refund_id, or with none, the same amount.
	RefundByKey(r *Refund) (*Refund, error)
	InvoiceRefunds(practiceID, invoiceID string) (Refunded, error)
	InsertRefund(r *Refund) (bool, error)
	UpdateRefund(r *Refund) error

	NearMissByID(practiceID, id string) (*NearMiss, error)
	InsertNearMiss(n *NearMiss) error
	DeleteNearMiss(practiceID, id string) error
	DeleteNearMissesBefore(t time.Time) (int64, error)
	ListNearMisses(practiceID string, p Page) ([]NearMiss, error)

	// InsertEvent writes an event to the outbox and queues a delivery to every hook subscribed
	// to its type, in the same transaction.
	InsertEvent(e *Event) error
	ListEvents(practiceID string, eventType string, p Page) ([]Event, error)

	InsertWebhookReceipt(r *WebhookReceipt) error
	ListWebhookReceipts(practiceID string, p Page) ([]WebhookReceipt, error)

	// Outgoing email. InsertMessage returns false when the message's cause already has one.
	// A message one can unsubscribe from, to an address that stopped the practice's emails,
	// is kept cancelled with StoppedReason: staff see why it did not go.
	InsertMessage(m *Message) (bool, error)
	CountMessagesTo(practiceID, to string, since time.Time) (int, error)
	// CancelQueuedMessage cancels the message of a cause if it has not been sent yet.
	CancelQueuedMessage(practiceID, cause, why string) (bool, error)
	MessageByID(practiceID, id string) (*Message, error)
	MessageByUnsubscribeHash(practiceID, hash string) (*Message, error)
	ListMessages(practiceID string, f MessageFilter, p Page) ([]Message, error)
	RequeueMessage(m *Message, at time.Time) error
	DeleteMessageBodiesBefore(t time.Time) (int64, error)
	// StopEmails keeps an address from the practice's emails (sign-in links excepted) and
	// cancels those still queued to it; ResumeEmails undoes it.
	StopEmails(practiceID, email string, at time.Time) error
	ResumeEmails(practiceID, email string) error
	EmailsStopped(practiceID, email string) (bool, error)

	// One-time links and advocates' page sessions, kept by the hash of their tokens.
	// TakeSignInLink deletes the link it returns, so only one request can use it.
	InsertSignInLink(l *SignInLink) error
	SignInLinkByHash(practiceID, hash string) (*SignInLink, error)
	TakeSignInLink(practiceID, hash string) (*SignInLink, error)
	InsertAdvocateSession(s *AdvocateSession) error
	AdvocateSessionByHash(hash string) (*AdvocateSession, error)
	DeleteAdvocateSession(hash string) error
	DeleteExpiredSignIns(now time.Time) (int64, error)

	// Secrets every server shares; InsertServerKey returns false when name already has one.
	ServerKey(name string) (string, error)
	InsertServerKey(name, secret string, at time.Time) (bool, error)

	// First-run tokens, by hash. ClaimFirstRunToken deletes them all, telling whether hash
	// was one, unexpired: the caller's transaction must fail when it was not.
	InsertFirstRunToken(hash string, at, expires time.Time) error
	FirstRunTokenValid(hash string, now time.Time) (bool, error)
	ClaimFirstRunToken(hash string, now time.Time) (bool, error)

	// PaymentReceived tells whether a payment ever came from the practice's own system (the
	// API or a signed webhook), not marked by hand.
	PaymentReceived(practiceID string) (bool, error)
	ChecklistDismissals(practiceID string) ([]string, error)
	// InsertChecklistDismissal returns false when the step was dismissed already.
	InsertChecklistDismissal(practiceID, step string, at time.Time) (bool, error)

	InsertHook(h *Hook) error
	DeleteHook(practiceID, id string) (bool, error)
	ListHooks(practiceID string, p Page) ([]Hook, error)
}

// Page asks for up to Limit items older than the item whose id is Cursor (newest first).
type Page struct {
	Limit  int
	Cursor string
}

// MaxPageSize is the largest page a list answers.
const MaxPageSize = 100

// APIKey is a practice's key; only its hash is kept.
type APIKey struct {
	ID         string
	PracticeID string
	Hash       string
	Prefix     string // the first characters, so staff can tell keys apart
	CreatedAt  time.Time
	RevokedAt  *time.Time
}

// Staff is a person who signs in to the dashboard.
type Staff struct {
	ID             string
	PracticeID     string
	Email          string
	Role           string // Admin or FrontDesk
	PasswordHash   string
	SetupTokenHash string
	SetupExpiresAt time.Time
	CreatedAt      time.Time
}

// IdempotentResponse is an answer kept for an Idempotency-Key, so that a client retrying the
// same request within IdempotencyWindow gets the same answer. Status 0 means still running.
type IdempotentResponse struct {
	RequestHash string
	Status      int
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}

// IdempotencyWindow is how long an Idempotency-Key is remembered.
const IdempotencyWindow = 24 * time.Hour

// IdempotencyLease is how long a key stays held for a request that is running without its
// server saying so again: a running request renews its claim well within it, so only a claim
// whose server died lapses, and the client's retry gets through seconds later.
const IdempotencyLease = 5 * time.Second
