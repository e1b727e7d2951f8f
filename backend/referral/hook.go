package referral

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Hook is a subscription of a URL to one event type: Zapier's REST hooks, or a developer's.
type Hook struct {
	ID         string    `json:"id"`
	PracticeID string    `json:"-"`
	Event      string    `json:"event"`
	TargetURL  string    `json:"target_url"`
	CreatedAt  time.Time `json:"created_at"`
	// What delivery has seen; read-only, filled when hooks are listed.
	Pending       int        `json:"pending_deliveries"`
	Failed        int        `json:"failed_deliveries"`
	LastError     string     `json:"last_error"`
	LastAttemptAt *time.Time `json:"last_attempt_at"`
}

// NewHook subscribes target_url to an event type.
type NewHook struct {
	Event     string `json:"event" validate:"required"`
	TargetURL string `json:"target_url" validate:"required,max=2000"`
}

// HookTargetCheck refuses a target URL the server must not call (say, a private address); the
// delivery package provides it, because what is reachable is a network matter.
type HookTargetCheck func(u *url.URL) error

// Subscribe adds a hook. Deliveries start with the next event of its type.
func (s *Service) Subscribe(ctx context.Context, p *Practice, in NewHook) (*Hook, error) {
	in.TargetURL = strings.TrimSpace(in.TargetURL)
	if err := check(in); err != nil {
		return nil, err
	}
	if !slices.Contains(EventTypes, in.Event) {
		return nil, InvalidField("event", "must be one of: "+strings.Join(EventTypes, ", "))
	}
	u, err := url.Parse(in.TargetURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, InvalidField("target_url", "must be an absolute http or https URL")
	}
	if s.CheckHookTarget != nil {
		if err := s.CheckHookTarget(u); err != nil {
			return nil, InvalidField("target_url", err.Error())
		}
	}
	now := s.Now()
	h := &Hook{ID: NewID("hk", now), PracticeID: p.ID, Event: in.Event, TargetURL: u.String(), CreatedAt: now}
	return h, s.inTx(ctx, func(tx Tx) error { return tx.InsertHook(h) })
}

// Unsubscribe removes a hook; its undelivered events are dropped with it.
func (s *Service) Unsubscribe(ctx context.Context, p *Practice, id string) error {
	if !IsText(id) {
		return NotFound("hook")
	}
	return s.inTx(ctx, func(tx Tx) error {
		deleted, err := tx.DeleteHook(p.ID, id)
		if err == nil && !deleted {
			err = NotFound("hook")
		}
		return err
	})
}

// Hooks lists the practice's subscriptions with their delivery health, newest first.
func (s *Service) Hooks(ctx context.Context, p *Practice, pg Page) ([]Hook, string, error) {
	return list(s, ctx, pg, "hk", func(tx Tx, pg Page) ([]Hook, error) {
		return tx.ListHooks(p.ID, pg)
	}, func(h Hook) string { return h.ID })
}
