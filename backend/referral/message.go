package referral

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Message kinds: what advocates and friends hear from the practice by email.
const (
	AdvocateWelcome = "advocate_welcome" // a new advocate's link, code and how it works
	RewardEarned    = "reward_earned"    // a reward's code and amount, and how to use it
	RewardVoided    = "reward_voided"    // a reward voided after a refund, in neutral words
	FriendWelcome   = "friend_welcome"   // the practice's offer, welcome code and booking link
	ClaimNotAdded   = "claim_not_added"  // a friend's claim that could not count, and why
	SignInEmail     = "sign_in"          // a one-time link to an advocate's own page
	JoinEmail       = "join_confirm"     // a one-time link that confirms someone joining
	StaffInvite     = "staff_invite"     // a one-time link for a new colleague to set a password
	PasswordReset   = "password_reset"   // a one-time link for staff to set a new password
)

// OneTimeLinks are the kinds that carry a one-time link someone needs now: they have no
// List-Unsubscribe, an earlier stop does not hold them back, and they are never sent again.
var OneTimeLinks = []string{SignInEmail, JoinEmail, StaffInvite, PasswordReset}

// Message statuses.
const (
	MessageQueued    = "queued"
	MessageSending   = "sending" // claimed by a worker until its lease ends
	MessageSent      = "sent"
	MessageHeld      = "held"   // kept in the built-in mailbox: no mail server is configured
	MessageFailed    = "failed" // the mail server refused it for good, or retries ran out
	MessageCancelled = "cancelled"
)

// Message is one email in the outbox, written in the transaction of the change that causes it
// and sent by a worker. Cause is unique per practice, so a change replayed any number of times
// causes one message.
type Message struct {
	ID         string    `json:"id"`
	PracticeID string    `json:"-"`
	Kind       string    `json:"kind"`
	Cause      string    `json:"-"`
	To         string    `json:"to"`
	Letter     Letter    `json:"-"`
	Status     string    `json:"status"`
	Attempts   int       `json:"attempts"`
	LastError  string    `json:"last_error"` // the mail server's answer, or why it was not sent
	CreatedAt  time.Time `json:"created_at"`
	SentAt     *time.Time
	// BodyDeleted is true once the letter is gone (BodyRetention after sending); the rest stays.
	BodyDeleted bool
	// UnsubscribeHash finds the recipient of a one-click unsubscribe; empty for sign-in links.
	UnsubscribeHash string `json:"-"`
}

// Letter is what a message says, as facts; package mail writes the words around them. It holds
// only the recipient's first name, codes, links and the practice's own words: never a friend's
// name, an amount paid or a treatment.
type Letter struct {
	FirstName    string `json:"first_name"`
	ReferralURL  string `json:"referral_url,omitempty"`
	ReferralCode string `json:"referral_code,omitempty"`
	PageURL      string `json:"page_url,omitempty"` // the advocate's own page, /p/{slug}/me
	SignInURL    string `json:"sign_in_url,omitempty"`
	RewardKind   string `json:"reward_kind,omitempty"`
	RewardAmount string `json:"reward_amount,omitempty"` // "$50": the practice's policy, never a payment
	RewardCode   string `json:"reward_code,omitempty"`
	Offer        string `json:"offer,omitempty"`
	WelcomeCode  string `json:"welcome_code,omitempty"`
	BookingURL   string `json:"booking_url,omitempty"`
	Reason       string `json:"reason,omitempty"` // why a claim did not count: an error code
	// UnsubscribeURL stops the practice's emails to this address (RFC 8058 one-click).
	UnsubscribeURL string `json:"unsubscribe_url,omitempty"`
}

// Redacted is the letter as kept once sent: its one-time links are spent or would let whoever
// reads the outbox act as the recipient, so they go.
func (l Letter) Redacted() Letter {
	l.SignInURL, l.UnsubscribeURL = "", ""
	return l
}

// Unsubscribable tells whether a message kind carries List-Unsubscribe. One-time links do not:
// the recipient asked for them a moment ago, or needs them to work.
func Unsubscribable(kind string) bool { return !slices.Contains(OneTimeLinks, kind) }

// BodyRetention is how long a sent message's letter is kept; its metadata stays.
const BodyRetention = 30 * 24 * time.Hour

// MessagesPerHour bounds what one address receives because someone filled in a public form
// with it, so the forms cannot be used to flood a stranger's inbox; what their own rewards and
// referrals cause is never held back.
const MessagesPerHour = 5

// firstName is how messages greet people: the first word of their name.
func firstName(name string) string {
	if words := strings.Fields(name); len(words) > 0 {
		return words[0]
	}
	return ""
}

// StoppedReason is why a message to an address that stopped the practice's emails was kept
// cancelled (Tx.InsertMessage decides, in the statement that inserts it).
const StoppedReason = "Not sent: this address stopped the practice's emails."

// queueMessage writes a message to the outbox in tx, unless its cause already has one.
func (s *Service) queueMessage(tx Tx, p *Practice, kind, cause, to string, l Letter) error {
	now := s.Now()
	m := &Message{ID: NewID("msg", now), PracticeID: p.ID, Kind: kind, Cause: cause, To: to,
		Letter: l, Status: MessageQueued, CreatedAt: now}
	if s.KeepMail {
		m.Status, m.SentAt = MessageHeld, &now
	}
	if Unsubscribable(kind) {
		token := NewToken()
		m.UnsubscribeHash = HashSecret(token)
		m.Letter.UnsubscribeURL = s.PublicURL + "/p/" + p.Slug + "/unsubscribe?token=" + token
	}
	_, err := tx.InsertMessage(m) // not inserted: its cause has its message already, once is enough
	return err
}

// queueFormMessage queues a message that a public form asked for, unless the address has had
// MessagesPerHour already. Either way the form answers the same.
func (s *Service) queueFormMessage(tx Tx, p *Practice, kind, to string, l Letter) error {
	if ok, err := s.formMessageAllowed(tx, p, to); err != nil || !ok {
		return err
	}
	return s.queueMessage(tx, p, kind, NewID("form", s.Now()), to, l)
}

// formMessageAllowed tells whether an address may get one more message a public form asked for.
func (s *Service) formMessageAllowed(tx Tx, p *Practice, to string) (bool, error) {
	n, err := tx.CountMessagesTo(p.ID, to, s.Now().Add(-time.Hour))
	return err == nil && n < MessagesPerHour, err
}

// pageURL is an advocate's own page.
func (s *Service) pageURL(p *Practice) string { return s.PublicURL + "/p/" + p.Slug + "/me" }

// welcomeAdvocate queues a new advocate's welcome: their link, code and how it works.
func (s *Service) welcomeAdvocate(tx Tx, p *Practice, a *Advocate) error {
	return s.queueMessage(tx, p, AdvocateWelcome, AdvocateWelcome+":"+a.ID, a.Email, Letter{
		FirstName: firstName(a.Name), ReferralURL: a.URL, ReferralCode: a.Code, PageURL: s.pageURL(p),
		RewardKind: p.Reward.Kind, RewardAmount: p.Reward.Amount.Display(), Offer: p.Offer.Description})
}

// welcomeFriend queues a friend's welcome offer, so it outlives the page they claimed it on.
func (s *Service) welcomeFriend(tx Tx, p *Practice, r *Referral, cause string) error {
	return s.queueMessage(tx, p, FriendWelcome, cause, r.FriendEmail, s.friendLetter(p, r.FriendName))
}

func (s *Service) friendLetter(p *Practice, name string) Letter {
	return Letter{FirstName: firstName(name), Offer: p.Offer.Description, WelcomeCode: p.Offer.WelcomeCode,
		BookingURL: p.BookingURL}
}

// tellRewardEarned queues the advocate's reward email; a capped reward has nothing to tell.
func (s *Service) tellRewardEarned(tx Tx, p *Practice, a *Advocate, r *Reward) error {
	if r.Status != Issued {
		return nil
	}
	return s.queueMessage(tx, p, RewardEarned, RewardEarned+":"+r.ID, a.Email, Letter{
		FirstName: firstName(a.Name), RewardKind: r.Kind, RewardAmount: r.Amount.Display(),
		RewardCode: r.Code, PageURL: s.pageURL(p), ReferralURL: a.URL})
}

// tellRewardVoided queues the neutral note that a reward was voided. If the reward's own email
// has not left yet, it is cancelled instead and the advocate hears nothing of either.
func (s *Service) tellRewardVoided(tx Tx, p *Practice, a *Advocate, r *Reward) error {
	cancelled, err := tx.CancelQueuedMessage(p.ID, RewardEarned+":"+r.ID, "Not sent: the reward was voided before this email left.")
	if err != nil || cancelled {
		return err
	}
	return s.queueMessage(tx, p, RewardVoided, RewardVoided+":"+r.ID, a.Email, Letter{
		FirstName: firstName(a.Name), RewardKind: r.Kind, RewardAmount: r.Amount.Display(),
		RewardCode: r.Code, PageURL: s.pageURL(p)})
}

// MessageFilter narrows the mailbox.
type MessageFilter struct {
	Status string
}

// Messages lists the practice's outgoing email, newest first: the dashboard's mailbox.
func (s *Service) Messages(ctx context.Context, p *Practice, f MessageFilter, pg Page) ([]Message, string, error) {
	return list(s, ctx, pg, "msg", func(tx Tx, pg Page) ([]Message, error) {
		return tx.ListMessages(p.ID, f, pg)
	}, func(m Message) string { return m.ID })
}

// Message is one message of the practice's mailbox.
func (s *Service) Message(ctx context.Context, p *Practice, id string) (m *Message, err error) {
	if !IsText(id) {
		return nil, NotFound("message")
	}
	err = s.inTx(ctx, func(tx Tx) (err error) {
		m, err = tx.MessageByID(p.ID, id)
		if err == nil && m == nil {
			err = NotFound("message")
		}
		return err
	})
	return m, err
}

// SendAgain queues a failed message once more, for staff who fixed what made it fail. A sent
// message is never sent again, and a spent sign-in link is not revived.
func (s *Service) SendAgain(ctx context.Context, p *Practice, id string) (*Message, error) {
	if !IsText(id) {
		return nil, NotFound("message")
	}
	var m *Message
	err := s.inTx(ctx, func(tx Tx) (err error) {
		if m, err = tx.MessageByID(p.ID, id); err != nil {
			return err
		}
		switch {
		case m == nil:
			return NotFound("message")
		case m.Status != MessageFailed:
			return Errorf(EInvalid, "Only a message that failed can be sent again; this one is %s.", m.Status)
		case m.Kind == StaffInvite:
			return Errorf(EInvalid, "An invitation is not sent again: invite them again under Staff, which sends a new link.")
		case m.Kind == PasswordReset:
			return Errorf(EInvalid, "A password reset link is not sent again: they can ask for a new one with \"Forgot password?\" on the sign-in page.")
		case !Unsubscribable(m.Kind):
			return Errorf(EInvalid, "A sign-in link is not sent again: the patient can ask for a new one on the practice's page.")
		case m.BodyDeleted:
			return Errorf(EInvalid, "This message's text was deleted after %d days.", int(BodyRetention.Hours()/24))
		}
		m.Status, m.Attempts, m.LastError = MessageQueued, 0, ""
		return tx.RequeueMessage(m, s.Now())
	})
	return m, err
}

// Outgoing email as the mail worker sees it; storage implements it.

// MessageResult is what one attempt to send a message came to.
type MessageResult struct {
	ID      string
	Status  string     // MessageSent, MessageHeld, MessageFailed, MessageCancelled, or MessageQueued to retry
	RetryAt *time.Time // with MessageQueued
	Error   string
	At      time.Time
	Letter  *Letter // what is kept of the letter, when it changes (redacted once sent)
}

// MarshalLetter is how a letter is stored.
func MarshalLetter(l Letter) string {
	b, err := json.Marshal(l)
	if err != nil {
		panic("referral: a letter must marshal: " + err.Error()) // strings only
	}
	return string(b)
}

// UnmarshalLetter reads a stored letter; an emptied one is the zero Letter.
func UnmarshalLetter(s string) Letter {
	var l Letter
	if s != "" {
		_ = json.Unmarshal([]byte(s), &l) // we wrote it
	}
	return l
}

// PurgeMessageBodies deletes the letters of messages sent (or held, failed, cancelled) more
// than BodyRetention ago, keeping who, when and what became of them.
func (s *Service) PurgeMessageBodies(ctx context.Context) (n int64, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		n, err = tx.DeleteMessageBodiesBefore(s.Now().Add(-BodyRetention))
		return err
	})
	return n, err
}
