package main

import (
	"context"
	"net/http"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// tableLocked holds api_keys and payments in ACCESS EXCLUSIVE mode past the request deadline
// while clients send their bodies a moment after their headers, as Zapier does. Waiting
// requests must get a retryable 503 with Retry-After by the deadline, never a 400, the retries
// must land once the lock goes, and the public pages must be served meanwhile.
func tableLocked(ctx context.Context, e *env, t *harness.Tally) error {
	s, err := e.stack(ctx, t, options{})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	tr := s.traffic(0)
	tr.lag = 300 * time.Millisecond
	// More callers than the server's 20 pooled connections in the full run.
	stop := drive(ctx, e.size(6, 30), tr)
	defer stop()
	sleep(ctx, e.span(time.Second, 3*time.Second))

	held := e.span(5*deadline/2, 20*time.Second)
	w := t.Watch()
	release, err := lockTables(ctx, s.db, "api_keys", "payments")
	if err != nil {
		return err
	}
	pages := harness.NewClient(s.server().URL(), "", t, e.patience()).From("127.0.0.2")
	defer pages.Close()
	slowPages := 0
	every(ctx, 250*time.Millisecond, held, func() {
		a := pages.Once(ctx, harness.Request{Method: http.MethodGet, Path: "/p/" + s.practices[0].Slug, Kind: harness.Page})
		if a.Status != http.StatusOK || a.Took > deadline {
			slowPages++
		}
	})
	release()
	s.cleared(ctx, "the table lock was released")
	sleep(ctx, 500*time.Millisecond) // the answers the lock held back come now
	seen := w.Stop()
	if slowPages > 0 {
		t.Fail("%d public page views were not served within %s while the API waited on a lock", slowPages, deadline)
	}
	if seen.Statuses[http.StatusServiceUnavailable] == 0 {
		t.Fail("no 503 while a lock was held %s past the %s request deadline", held-deadline, deadline)
	}
	if seen.Slowest > deadline+2*time.Second {
		t.Fail("an answer took %.1f s while the lock was held, past the %s request deadline", seen.Slowest.Seconds(), deadline)
	}
	sleep(ctx, e.span(time.Second, 5*time.Second))
	return nil
}
