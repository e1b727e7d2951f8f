package main

import (
	"context"
	"net/http"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// postgresKilled stops PostgreSQL the hard way (pg_ctl stop -m immediate) under load, keeps it
// down a moment and starts it again. What was not acknowledged is retried; nothing
// acknowledged may be lost, and /readyz must say not ready while it is down.
func postgresKilled(ctx context.Context, e *env, t *harness.Tally) error {
	s, err := e.stack(ctx, t, options{practices: 2})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	stop := drive(ctx, e.size(4, 8), s.traffic(0), s.traffic(1))
	defer stop()
	sleep(ctx, e.span(1500*time.Millisecond, 5*time.Second))

	if err := e.cluster.Kill(ctx); err != nil {
		return err
	}
	down := e.span(2*time.Second, 8*time.Second)
	sleep(ctx, down/2)
	if got := s.ready(ctx); got != http.StatusServiceUnavailable {
		t.Fail("/readyz answered %d while PostgreSQL was down, want 503", got)
	}
	sleep(ctx, down/2)
	if err := e.cluster.Start(ctx); err != nil {
		return err
	}
	s.cleared(ctx, "PostgreSQL restarted")
	sleep(ctx, e.span(2*time.Second, 10*time.Second))
	return nil
}
