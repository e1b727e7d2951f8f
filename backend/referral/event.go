package referral

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Event types, as hooks and /v1/events name them.
const (
	AdvocateCreated    = "advocate.created"
	ReferralCreated    = "referral.created"
	ConversionRecorded = "conversion.recorded"
	ConversionReversed = "conversion.reversed"
	RewardIssued       = "reward.issued" // a held reward's hold ended: it has its code now
	RewardRedeemed     = "reward.redeemed"
)

// EventTypes lists every event type.
var EventTypes = []string{AdvocateCreated, ReferralCreated, ConversionRecorded, ConversionReversed, RewardIssued, RewardRedeemed}

// Event is a change written to the outbox in the transaction that made it. Data is the
// snapshot hooks deliver, frozen at that moment.
type Event struct {
	ID         string          `json:"id"`
	PracticeID string          `json:"-"`
	Type       string          `json:"type"`
	CreatedAt  time.Time       `json:"created_at"`
	Data       json.RawMessage `json:"data"`
}

func (s *Service) newEvent(p *Practice, eventType string, data any) *Event {
	b, err := json.Marshal(data)
	if err != nil {
		panic("referral: event data must marshal: " + err.Error()) // our own types always do
	}
	now := s.Now()
	return &Event{ID: NewID("evt", now), PracticeID: p.ID, Type: eventType, CreatedAt: now, Data: b}
}

// Events lists recent events of one type (or all), newest first, in the shape hooks deliver.
func (s *Service) Events(ctx context.Context, p *Practice, eventType string, pg Page) ([]Event, string, error) {
	if eventType != "" && !slices.Contains(EventTypes, eventType) {
		return nil, "", InvalidField("type", "must be one of: "+strings.Join(EventTypes, ", "))
	}
	return list(s, ctx, pg, "evt", func(tx Tx, pg Page) ([]Event, error) {
		return tx.ListEvents(p.ID, eventType, pg)
	}, func(e Event) string { return e.ID })
}
