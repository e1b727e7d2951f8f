package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// readOnly makes the database read-only (as a failover to a replica does) and terminates its
// sessions, then makes it writable again; /readyz must say not ready meanwhile. Then it
// terminates the server's pooled connections again and again under load: those must be
// retried inside the server, so that no caller sees anything but a 2xx.
func readOnly(ctx context.Context, e *env, t *harness.Tally) error {
	s, err := e.stack(ctx, t, options{practices: 2})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	admin, err := e.cluster.Admin()
	if err != nil {
		return err
	}
	defer admin.Close()
	u, _ := url.Parse(s.dbURL)
	database := strings.TrimPrefix(u.Path, "/")
	stop := drive(ctx, e.size(4, 8), s.traffic(0), s.traffic(1))
	defer stop()
	sleep(ctx, e.span(time.Second, 3*time.Second))

	defer setReadOnly(context.WithoutCancel(ctx), admin, false) // whatever happens below
	if err := setReadOnly(ctx, admin, true); err != nil {
		return err
	}
	if _, err := terminate(ctx, admin, database); err != nil {
		return err
	}
	ready, probes := 0, 0
	sleep(ctx, 500*time.Millisecond)
	every(ctx, 250*time.Millisecond, e.span(2*time.Second, 6*time.Second), func() {
		probes++
		if s.ready(ctx) != http.StatusServiceUnavailable {
			ready++
		}
	})
	if ready > 0 {
		t.Fail("/readyz did not answer 503 while the database was read-only (%d of %d probes)", ready, probes)
	}
	if err := setReadOnly(ctx, admin, false); err != nil {
		return err
	}
	s.cleared(ctx, "the database was writable again")
	sleep(ctx, e.span(time.Second, 4*time.Second))

	w := t.Watch()
	killed := 0
	every(ctx, 250*time.Millisecond, e.span(2*time.Second, 6*time.Second), func() {
		n, _ := terminate(ctx, admin, database)
		killed += n
	})
	seen := w.Stop()
	s.cleared(ctx, "the last pooled connection was terminated")
	t.Note("%d pooled connections terminated under load", killed)
	if n := seen.Not2xx(); n > 0 {
		t.Fail("%d answers were not 2xx while pooled connections were terminated (%v); a killed connection should be retried inside the server", n, seen.Statuses)
	}
	sleep(ctx, e.span(time.Second, 3*time.Second))
	return nil
}
