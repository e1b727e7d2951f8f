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

// Delivery statuses.
const (
	deliveryPending   = "pending"
	deliveryDelivered = "delivered"
	deliveryFailed    = "failed"
)

func (t *tx) InsertHook(h *referral.Hook) error {
	return t.insertNew(&hookRow{ID: h.ID, PracticeID: h.PracticeID, Event: h.Event, TargetURL: h.TargetURL, CreatedAt: h.CreatedAt}, h.ID)
}

func (t *tx) DeleteHook(practiceID, id string) (bool, error) {
	res := t.g.Where("practice_id = ? AND id = ?", practiceID, id).Delete(&hookRow{})
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to delete hook: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ListHooks reads a page of hooks and their delivery health in two more queries, not per hook.
func (t *tx) ListHooks(practiceID string, p referral.Page) ([]referral.Hook, error) {
	hooks, err := findAll(page(t.g.Where("practice_id = ?", practiceID), "hooks", p), (*hookRow).hook)
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
		Where("hook_id IN ? AND status IN ?", ids, []string{deliveryPending, deliveryFailed}).
		Group("hook_id, status").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count deliveries: %w", err)
	}
	for _, c := range counts {
		if c.Status == deliveryPending {
			byID[c.HookID].Pending = c.N
		} else {
			byID[c.HookID].Failed = c.N
		}
	}
	var attempts []deliveryRow
	err = t.g.Where("hook_id IN ? AND last_attempt_at IS NOT NULL", ids).
		Order("last_attempt_at DESC").Limit(1000).Find(&attempts).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read deliveries: %w", err)
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
		return fmt.Errorf("store: unable to queue deliveries: %w", err)
	}
	return nil
}

// ClaimDeliveries takes up to limit deliveries that are due and leases them until leaseUntil:
// until then no other worker claims them. On PostgreSQL, SKIP LOCKED lets several servers
// claim at once without waiting on, or taking, each other's rows.
func (db *DB) ClaimDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]referral.Delivery, error) {
	var claimed []referral.Delivery
	err := db.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		claimed = nil
		lock := ""
		if db.postgres {
			lock = " FOR UPDATE OF d SKIP LOCKED"
		}
		var rows []struct {
			EventID, HookID, TargetURL, WebhookSecret, Type, Data, PracticeID string
			Attempts                                                          int
			CreatedAt                                                         time.Time
		}
		err := g.Raw(`SELECT d.event_id, d.hook_id, d.attempts, h.target_url, p.webhook_secret,
				e.type, e.data, e.practice_id, e.created_at
			FROM deliveries d
			JOIN hooks h ON h.id = d.hook_id
			JOIN events e ON e.id = d.event_id
			JOIN practices p ON p.id = d.practice_id
			WHERE d.status = ? AND d.next_attempt_at <= ?
			ORDER BY d.next_attempt_at LIMIT ?`+lock, deliveryPending, now, limit).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			err := g.Model(&deliveryRow{}).Where("event_id = ? AND hook_id = ?", r.EventID, r.HookID).
				Updates(map[string]any{"attempts": r.Attempts + 1, "next_attempt_at": leaseUntil, "last_attempt_at": now}).Error
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
		return nil, fmt.Errorf("store: unable to claim deliveries: %w", err)
	}
	return claimed, nil
}

// RecordDelivery keeps what an attempt came to. A 410 removes the hook, and with it every
// delivery still queued for it.
func (db *DB) RecordDelivery(ctx context.Context, r referral.DeliveryResult) error {
	g := db.gorm.WithContext(ctx)
	var err error
	switch {
	case r.Gone:
		err = g.Where("id = ?", r.HookID).Delete(&hookRow{}).Error
	case r.Delivered:
		err = g.Model(&deliveryRow{}).Where("event_id = ? AND hook_id = ?", r.EventID, r.HookID).
			Updates(map[string]any{"status": deliveryDelivered, "delivered_at": r.At, "last_error": ""}).Error
	case r.RetryAt != nil:
		err = g.Model(&deliveryRow{}).Where("event_id = ? AND hook_id = ?", r.EventID, r.HookID).
			Updates(map[string]any{"next_attempt_at": *r.RetryAt, "last_error": r.Error}).Error
	default:
		err = g.Model(&deliveryRow{}).Where("event_id = ? AND hook_id = ?", r.EventID, r.HookID).
			Updates(map[string]any{"status": deliveryFailed, "last_error": r.Error}).Error
	}
	if err != nil {
		return fmt.Errorf("store: unable to record a delivery: %w", err)
	}
	return nil
}
