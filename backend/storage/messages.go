package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Outgoing email: the messages outbox, its worker's claims, and the addresses that stopped it.

type messageRow struct {
	ID              string
	PracticeID      string
	Kind            string
	Cause           string
	Recipient       string
	Letter          string
	Status          string
	Attempts        int
	NextAttemptAt   time.Time
	LastError       string
	UnsubscribeHash *string
	CreatedAt       time.Time
	SentAt          *time.Time
	BodyDeletedAt   *time.Time
}

func (messageRow) TableName() string { return "messages" }

// A claimed message is referral.MessageSending until its lease (next_attempt_at) ends: not
// queued, so it cannot be cancelled while it is on its way, and claimable again if its worker died.

func (r *messageRow) message() referral.Message {
	return referral.Message{ID: r.ID, PracticeID: r.PracticeID, Kind: r.Kind, Cause: r.Cause,
		To: r.Recipient, Letter: referral.UnmarshalLetter(r.Letter), Status: r.Status,
		Attempts: r.Attempts, LastError: r.LastError, CreatedAt: r.CreatedAt.UTC(), SentAt: utc(r.SentAt),
		BodyDeleted: r.BodyDeletedAt != nil, UnsubscribeHash: deref(r.UnsubscribeHash)}
}

// InsertMessage looks for the address's stop in the statement that inserts the message.
func (t *tx) InsertMessage(m *referral.Message) (bool, error) {
	stoppable := referral.Unsubscribable(m.Kind)
	var sentAt *time.Time
	inserted, err := t.returning([]any{&m.Status, &m.LastError, &sentAt}, `INSERT INTO messages (id, practice_id, kind, cause, recipient, letter, status, attempts,
			next_attempt_at, last_error, unsubscribe_hash, created_at, sent_at)
		SELECT ?, ?, ?, ?, ?, ?, CASE WHEN stop.n > 0 THEN ? ELSE ? END, 0, ?,
			CASE WHEN stop.n > 0 THEN ? ELSE ? END, ?, ?, CASE WHEN stop.n > 0 THEN CAST(NULL AS TIMESTAMP) ELSE ? END
		FROM (SELECT COUNT(*) AS n FROM email_stops WHERE ? AND practice_id = ? AND email = ?) AS stop
		WHERE TRUE
		ON CONFLICT DO NOTHING RETURNING status, last_error, sent_at`,
		m.ID, m.PracticeID, m.Kind, m.Cause, m.To, referral.MarshalLetter(m.Letter),
		referral.MessageCancelled, m.Status, m.CreatedAt, referral.StoppedReason, m.LastError,
		orNull(m.UnsubscribeHash), m.CreatedAt, m.SentAt, stoppable, m.PracticeID, m.To)
	m.SentAt = utc(sentAt)
	if err != nil {
		return false, fmt.Errorf("store: insert %s message %s: %w", m.Kind, m.ID, err)
	}
	return inserted, nil
}

func (t *tx) CountMessagesTo(practiceID, to string, since time.Time) (int, error) {
	var n int64
	err := t.g.Model(&messageRow{}).Where("practice_id = ? AND recipient = ? AND created_at >= ?", practiceID, to, since).
		Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: count messages to an address in practice %s: %w", practiceID, err)
	}
	return int(n), nil
}

func (t *tx) CancelQueuedMessage(practiceID, cause, why string) (bool, error) {
	res := t.g.Model(&messageRow{}).Where("practice_id = ? AND cause = ? AND status = ?", practiceID, cause, referral.MessageQueued).
		Updates(map[string]any{"status": referral.MessageCancelled, "last_error": why})
	if res.Error != nil {
		return false, fmt.Errorf("store: cancel the queued message for %s: %w", cause, res.Error)
	}
	return res.RowsAffected == 1, nil
}

func (t *tx) messageWhere(what, query string, args ...any) (*referral.Message, error) {
	var row messageRow
	found, err := first(t.g.Where(query, args...), &row, what)
	if err != nil || !found {
		return nil, err
	}
	m := row.message()
	return &m, nil
}

func (t *tx) MessageByID(practiceID, id string) (*referral.Message, error) {
	return t.messageWhere("message "+id, "practice_id = ? AND id = ?", practiceID, id)
}

func (t *tx) MessageByUnsubscribeHash(practiceID, hash string) (*referral.Message, error) {
	return t.messageWhere("message by unsubscribe link in practice "+practiceID, "practice_id = ? AND unsubscribe_hash = ?", practiceID, hash)
}

func (t *tx) ListMessages(practiceID string, f referral.MessageFilter, p referral.Page) ([]referral.Message, error) {
	q := t.g.Where("practice_id = ?", practiceID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	return findAll(page(q, "messages", p), (*messageRow).message, "messages of practice "+practiceID)
}

func (t *tx) RequeueMessage(m *referral.Message, at time.Time) error {
	err := t.g.Model(&messageRow{}).Where("practice_id = ? AND id = ?", m.PracticeID, m.ID).
		Updates(map[string]any{"status": m.Status, "attempts": m.Attempts, "last_error": m.LastError, "next_attempt_at": at}).Error
	if err != nil {
		return fmt.Errorf("store: queue message %s again: %w", m.ID, err)
	}
	return nil
}

func (t *tx) DeleteMessageBodiesBefore(before time.Time) (int64, error) {
	// Messages that never went (failed, cancelled) age from when they were written.
	res := t.g.Model(&messageRow{}).Where("body_deleted_at IS NULL AND (sent_at < ? OR (status IN ? AND created_at < ?))",
		before, []string{referral.MessageFailed, referral.MessageCancelled}, before).
		Updates(map[string]any{"letter": "", "body_deleted_at": before})
	if res.Error != nil {
		return 0, fmt.Errorf("store: delete the bodies of messages before %s: %w", before.Format(time.RFC3339), res.Error)
	}
	return res.RowsAffected, nil
}

type emailStopRow struct {
	PracticeID string
	Email      string
	CreatedAt  time.Time
}

func (emailStopRow) TableName() string { return "email_stops" }

func (t *tx) StopEmails(practiceID, email string, at time.Time) error {
	// Already stopped is stopped: the earlier row stands.
	if _, err := t.insert(&emailStopRow{PracticeID: practiceID, Email: email, CreatedAt: at}, "email stop in practice "+practiceID); err != nil {
		return err
	}
	err := t.g.Model(&messageRow{}).
		Where("practice_id = ? AND recipient = ? AND status = ? AND kind NOT IN ?", practiceID, email,
			referral.MessageQueued, referral.OneTimeLinks).
		Updates(map[string]any{"status": referral.MessageCancelled, "last_error": referral.StoppedReason}).Error
	if err != nil {
		return fmt.Errorf("store: cancel messages to a stopped address in practice %s: %w", practiceID, err)
	}
	return nil
}

func (t *tx) ResumeEmails(practiceID, email string) error {
	if err := t.g.Where("practice_id = ? AND email = ?", practiceID, email).Delete(&emailStopRow{}).Error; err != nil {
		return fmt.Errorf("store: resume emails to an address in practice %s: %w", practiceID, err)
	}
	return nil
}

func (t *tx) EmailsStopped(practiceID, email string) (bool, error) {
	var row emailStopRow
	return first(t.g.Where("practice_id = ? AND email = ?", practiceID, email), &row, "email stop in practice "+practiceID)
}

// ClaimMessages takes up to limit messages that are due and leases them until leaseUntil, as
// ClaimDeliveries does: on PostgreSQL, SKIP LOCKED lets several servers claim at once.
func (db *DB) ClaimMessages(ctx context.Context, now, leaseUntil time.Time, limit int) ([]referral.Message, error) {
	var claimed []referral.Message
	err := db.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		claimed = nil
		q := g.Where("(status = ? OR status = ?) AND next_attempt_at <= ?", referral.MessageQueued, referral.MessageSending, now).
			Order("next_attempt_at").Limit(limit)
		if db.postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []messageRow
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]string, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
		}
		err := g.Model(&messageRow{}).Where("id IN ?", ids).
			Updates(map[string]any{"status": referral.MessageSending, "attempts": gorm.Expr("attempts + 1"), "next_attempt_at": leaseUntil}).Error
		if err != nil {
			return err
		}
		// Each message keeps the status it had before this claim: the worker tells a queued
		// message from one whose earlier attempt was interrupted ('sending' past its lease),
		// which it must not send again, since that attempt may have reached the server.
		for i := range rows {
			rows[i].Attempts++
			claimed = append(claimed, rows[i].message())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim messages due by %s: %w", now.Format(time.RFC3339), err)
	}
	return claimed, nil
}

// RecordMessage keeps what an attempt came to. Only a message still leased for sending is
// changed: one claimed again after its lease ran out belongs to its new attempt.
func (db *DB) RecordMessage(ctx context.Context, r referral.MessageResult) error {
	set := map[string]any{"status": r.Status, "last_error": r.Error}
	switch r.Status {
	case referral.MessageSent, referral.MessageHeld:
		set["sent_at"] = r.At
	case referral.MessageQueued:
		set["next_attempt_at"] = *r.RetryAt
	}
	if r.Letter != nil {
		set["letter"] = referral.MarshalLetter(*r.Letter)
	}
	// In a transaction, like every other write: gorm prepares a statement made outside one on
	// a second pooled connection while other goroutines wait for it under its statement-cache
	// lock, which deadlocks once requests hold every connection (seen with 50 payments at once).
	err := db.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		return g.Model(&messageRow{}).Where("id = ? AND status = ?", r.ID, referral.MessageSending).Updates(set).Error
	})
	if err != nil {
		return fmt.Errorf("store: record the attempt at message %s: %w", r.ID, err)
	}
	return nil
}
