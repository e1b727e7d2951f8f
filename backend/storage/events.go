package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// The outbox's events; hooks.go queues and delivers them.

type eventRow struct {
	ID         string
	PracticeID string
	Type       string
	Data       string
	CreatedAt  time.Time
}

func (eventRow) TableName() string { return "events" }

func (r *eventRow) event() referral.Event {
	return referral.Event{ID: r.ID, PracticeID: r.PracticeID, Type: r.Type, CreatedAt: r.CreatedAt.UTC(), Data: []byte(r.Data)}
}

// InsertEvent queues deliveries only for an event it wrote: hooks would otherwise be sent one
// that is not in the outbox. On PostgreSQL the event's insert feeds the deliveries' in one
// statement; SQLite, with no round trips to save, runs the two in turn.
func (t *tx) InsertEvent(e *referral.Event) error {
	row := &eventRow{ID: e.ID, PracticeID: e.PracticeID, Type: e.Type, Data: string(e.Data), CreatedAt: e.CreatedAt}
	if !t.postgres {
		if err := t.insertNew(row, "event "+e.ID); err != nil {
			return err
		}
		return t.queueDeliveries(e)
	}
	var written string
	inserted, err := t.returning([]any{&written}, `WITH event AS (
			INSERT INTO events (id, practice_id, type, data, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING RETURNING id, practice_id, type, created_at),
		queued AS (
			INSERT INTO deliveries (event_id, hook_id, practice_id, status, attempts, next_attempt_at, created_at)
			SELECT event.id, hooks.id, hooks.practice_id, ?, 0, event.created_at, event.created_at
			FROM event JOIN hooks ON hooks.practice_id = event.practice_id AND hooks.event = event.type)
		SELECT id FROM event`,
		row.ID, row.PracticeID, row.Type, row.Data, row.CreatedAt, deliveryPending)
	if err != nil {
		return fmt.Errorf("store: insert event %s: %w", e.ID, err)
	}
	if !inserted {
		return fmt.Errorf("store: event %s not inserted: a row with its key exists", e.ID)
	}
	return nil
}

func (t *tx) ListEvents(practiceID, eventType string, p referral.Page) ([]referral.Event, error) {
	q := t.g.Where("practice_id = ?", practiceID)
	if eventType != "" {
		q = q.Where("type = ?", eventType)
	}
	return findAll(page(q, "events", p), (*eventRow).event, "events of practice "+practiceID)
}
