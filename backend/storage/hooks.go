package storage

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/advocateloop/advocateloop/backend/referral"
)

type hookRow struct {
	ID         string
	PracticeID string
	Event      string
	TargetURL  string
	CreatedAt  time.Time
}

func (hookRow) TableName() string { return "hooks" }

func (r *hookRow) hook() referral.Hook {
	return referral.Hook{ID: r.ID, PracticeID: r.PracticeID, Event: r.Event, TargetURL: r.TargetURL, CreatedAt: r.CreatedAt.UTC()}
}

type deliveryRow struct {
	EventID       string
	HookID        string
	PracticeID    string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	LastAttemptAt *time.Time
	DeliveredAt   *time.Time
	CreatedAt     time.Time
}

func (deliveryRow) TableName() string { return "deliveries" }

// Delivery statuses. A sending delivery is leased to a worker until its next_attempt_at; past
// that, the worker is presumed dead and the delivery is due again.
const (
	deliveryPending   = "pending"
	deliverySending   = "sending"
	deliveryDelivered = "delivered"
	deliveryFailed    = "failed"
)

func (t *tx) InsertHook(h *referral.Hook) error {
	return t.insertNew(&hookRow{ID: h.ID, PracticeID: h.PracticeID, Event: h.Event, TargetURL: h.TargetURL, CreatedAt: h.CreatedAt}, "hook "+h.ID)
}

func (t *tx) DeleteHook(practiceID, id string) (bool, error) {
	res := t.g.Where("practice_id = ? AND id = ?", practiceID, id).Delete(&hookRow{})
	if res.Error != nil {
		return false, fmt.Errorf("store: delete hook %s: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ListHooks reads a page of hooks and their delivery health in two more queries, not per hook.
func (t *tx) ListHooks(practiceID string, p referral.Page) ([]referral.Hook, error) {
	hooks, err := findAll(page(t.g.Where("practice_id = ?", practiceID), "hooks", p), (*hookRow).hook, "hooks of practice "+practiceID)
	if err != nil || len(hooks) == 0 {
		return hooks, err
	}
	byID := make(map[string]*referral.Hook, len(hooks))
	ids := make([]string, len(hooks))
	for i := range hooks {
		byID[hooks[i].ID], ids[i] = &hooks[i], hooks[i].ID
	}
	var counts []struct {
		HookID string
		Status string
		N      int
	}
	err = t.g.Model(&deliveryRow{}).Select("hook_id, status, COUNT(*) AS n").
		Where("hook_id IN ? AND status IN ?", ids, []string{deliveryPending, deliverySending, deliveryFailed}).
		Group("hook_id, status").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("store: count deliveries to the hooks of practice %s: %w", practiceID, err)
	}
	for _, c := range counts {
		if c.Status == deliveryFailed {
			byID[c.HookID].Failed = c.N
		} else {
			byID[c.HookID].Pending += c.N // waiting or under way
		}
	}
	var attempts []deliveryRow
	err = t.g.Where("hook_id IN ? AND last_attempt_at IS NOT NULL", ids).
		Order("last_attempt_at DESC").Limit(1000).Find(&attempts).Error
	if err != nil {
		return nil, fmt.Errorf("store: read the last deliveries to the hooks of practice %s: %w", practiceID, err)
	}
	for _, d := range attempts {
		if h := byID[d.HookID]; h.LastAttemptAt == nil {
			h.LastAttemptAt, h.LastError = utc(d.LastAttemptAt), d.LastError
		}
	}
	return hooks, nil
}

// queueDeliveries fans an event out to every hook subscribed to its type.
func (t *tx) queueDeliveries(e *referral.Event) error {
	err := t.g.Exec(`INSERT INTO deliveries (event_id, hook_id, practice_id, status, attempts, next_attempt_at, created_at)
		SELECT ?, id, practice_id, ?, 0, ?, ? FROM hooks WHERE practice_id = ? AND event = ?`,
		e.ID, deliveryPending, e.CreatedAt, e.CreatedAt, e.PracticeID, e.Type).Error
	if err != nil {
		return fmt.Errorf("store: queue deliveries of event %s: %w", e.ID, err)
	}
	return nil
}

// leasedToTarget finds a delivery under an unexpired lease to the same target (practice and
// URL) as hook h: one attempt at a time per target keeps a receiver's events in order, and
// after it answers 410 nothing more is on its way to it. Its arguments: sending, now.
const leasedToTarget = `SELECT 1 FROM deliveries b JOIN hooks bh ON bh.id = b.hook_id
	WHERE bh.practice_id = h.practice_id AND bh.target_url = h.target_url AND b.status = ? AND b.next_attempt_at > ?`

// ClaimDeliveries takes up to limit deliveries that are due, at most one per target, and
// leases them until leaseUntil: until then no other worker claims them, nor anything else for
// their targets. So each target has at most one delivery under way, whichever server makes it:
// its events go in order, and after a 410 nothing more is sent to it. A delivery waiting out a
// retry delay does not hold back the hook's later events.
//
// On PostgreSQL the free hooks are locked with SKIP LOCKED, so servers claiming at once take
// different hooks without waiting on each other; the delivery is then chosen in a statement of
// its own, whose fresh snapshot sees every claim committed before the lock was granted. SQLite
// has a single writer, and this transaction takes it first.
func (db *DB) ClaimDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]referral.Delivery, error) {
	var claimed []referral.Delivery
	err := db.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		claimed = nil
		lock := ""
		if db.postgres {
			lock = " FOR UPDATE OF h SKIP LOCKED"
		}
		var hooks []string
		err := g.Raw(`SELECT h.id FROM hooks h
			JOIN (SELECT hook_id, MIN(next_attempt_at) AS due FROM deliveries
				WHERE status IN (?, ?) AND next_attempt_at <= ? GROUP BY hook_id) w ON w.hook_id = h.id
			WHERE NOT EXISTS (`+leasedToTarget+`)
			ORDER BY w.due LIMIT ?`+lock,
			deliveryPending, deliverySending, now, deliverySending, now, limit).Scan(&hooks).Error
		if err != nil || len(hooks) == 0 {
			return err
		}
		var rows []struct {
			EventID, HookID, TargetURL, WebhookSecret, Type, Data, PracticeID string
			Attempts                                                          int
			CreatedAt                                                         time.Time
		}
		// Each target's oldest due event, unless another worker leased a delivery to it
		// meanwhile.
		err = g.Raw(`WITH due AS (
				SELECT d.event_id, d.hook_id, d.attempts,
					ROW_NUMBER() OVER (PARTITION BY h.practice_id, h.target_url ORDER BY d.created_at, d.event_id) AS n
				FROM deliveries d JOIN hooks h ON h.id = d.hook_id
				WHERE d.hook_id IN ? AND d.status IN (?, ?) AND d.next_attempt_at <= ?
					AND NOT EXISTS (`+leasedToTarget+`))
			SELECT due.event_id, due.hook_id, due.attempts, h.target_url, p.webhook_secret,
				e.type, e.data, e.practice_id, e.created_at
			FROM due
			JOIN hooks h ON h.id = due.hook_id
			JOIN events e ON e.id = due.event_id
			JOIN practices p ON p.id = h.practice_id
			WHERE due.n = 1`,
			hooks, deliveryPending, deliverySending, now, deliverySending, now).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			err := g.Model(&deliveryRow{}).Where("event_id = ? AND hook_id = ?", r.EventID, r.HookID).
				Updates(map[string]any{"status": deliverySending, "attempts": r.Attempts + 1,
					"next_attempt_at": leaseUntil, "last_attempt_at": now}).Error
			if err != nil {
				return err
			}
			claimed = append(claimed, referral.Delivery{HookID: r.HookID, TargetURL: r.TargetURL,
				Secret: r.WebhookSecret, Attempts: r.Attempts + 1,
				Event: referral.Event{ID: r.EventID, PracticeID: r.PracticeID, Type: r.Type,
					CreatedAt: r.CreatedAt.UTC(), Data: []byte(r.Data)}})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim deliveries due by %s: %w", now.Format(time.RFC3339), err)
	}
	return claimed, nil
}

// RecordDelivery keeps what an attempt came to, if its lease is still its own: a delivery
// claimed again after its lease ran out belongs to the newer attempt. A 410 removes the hook,
// and with it every delivery still queued for it.
func (db *DB) RecordDelivery(ctx context.Context, r referral.DeliveryResult) error {
	// In a transaction, like every other write (see RecordMessage).
	err := db.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		if r.Gone {
			// Gone is the target's answer, not one subscription's: every hook of the practice
			// that points there goes, with the deliveries queued for them.
			return g.Exec(`DELETE FROM hooks WHERE id IN (SELECT o.id FROM hooks o JOIN hooks h
				ON o.practice_id = h.practice_id AND o.target_url = h.target_url WHERE h.id = ?)`, r.HookID).Error
		}
		set := map[string]any{"status": deliveryFailed, "last_error": r.Error}
		switch {
		case r.Delivered:
			set = map[string]any{"status": deliveryDelivered, "delivered_at": r.At, "last_error": ""}
		case r.RetryAt != nil:
			set = map[string]any{"status": deliveryPending, "next_attempt_at": *r.RetryAt, "last_error": r.Error}
		}
		return g.Model(&deliveryRow{}).Where("event_id = ? AND hook_id = ? AND status = ? AND attempts = ?",
			r.EventID, r.HookID, deliverySending, r.Attempt).Updates(set).Error
	})
	if err != nil {
		return fmt.Errorf("store: record delivery of event %s to hook %s: %w", r.EventID, r.HookID, err)
	}
	return nil
}
