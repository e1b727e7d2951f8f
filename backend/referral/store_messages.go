package referral

import "time"

// Messages keeps outgoing email. InsertMessage returns false when the message's cause already
// has one. A message one can unsubscribe from, to an address that stopped the practice's
// emails, is kept cancelled with StoppedReason: staff see why it did not go.
type Messages interface {
	InsertMessage(m *Message) (bool, error)
	CountMessagesTo(practiceID, to string, since time.Time) (int, error)
	// CancelQueuedMessage cancels the message of a cause if it has not been sent yet.
	CancelQueuedMessage(practiceID, cause, why string) (bool, error)
	MessageByID(practiceID, id string) (*Message, error)
	MessageByUnsubscribeHash(practiceID, hash string) (*Message, error)
	ListMessages(practiceID string, f MessageFilter, p Page) ([]Message, error)
	RequeueMessage(m *Message, at time.Time) error
	DeleteMessageBodiesBefore(t time.Time) (int64, error)
}

// EmailStops keeps the addresses that stopped a practice's emails. StopEmails keeps one from
// them (sign-in links excepted) and cancels those still queued to it; ResumeEmails undoes it.
type EmailStops interface {
	StopEmails(practiceID, email string, at time.Time) error
	ResumeEmails(practiceID, email string) error
	EmailsStopped(practiceID, email string) (bool, error)
}
