// Package poll is the loop beneath the outbox workers (mail, webhook deliveries): claim what
// is due, then wait for the interval, an early wake-up, or nothing when more is due; stop when
// the context ends. What a round claims and how it is sent stays in each worker.
package poll

import (
	"context"
	"time"
)

// Run calls round until ctx ends. After a round that says more is due it goes straight on;
// otherwise it waits for interval or for wake, whichever comes first (a nil wake never comes).
// A round under way is never cut short: Run only checks ctx between rounds.
func Run(ctx context.Context, interval time.Duration, wake Wake, round func() (more bool)) {
	for {
		if round() {
			if ctx.Err() != nil {
				return
			}
			continue
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// Wake wakes a waiting Run early. Wake-ups do not pile up: one waiting is enough however many
// things ended meanwhile, since the next round looks at everything due.
type Wake chan struct{}

// NewWake returns a Wake that holds one wake-up.
func NewWake() Wake { return make(Wake, 1) }

// Signal wakes Run, or leaves the wake-up already waiting; it never blocks.
func (w Wake) Signal() {
	select {
	case w <- struct{}{}:
	default:
	}
}
