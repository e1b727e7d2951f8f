package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// serverKilled SIGKILLs the server under load, with requests inside it, and starts it again:
// their Idempotency-Keys must be claimable again within a Zap's patience. Then it sends
// SIGTERM while requests are in flight: every one must be answered, and the server must exit
// cleanly.
func serverKilled(ctx context.Context, e *env, t *harness.Tally) error {
	s, err := e.stack(ctx, t, options{practices: 2})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	srv := s.server()
	stop := drive(ctx, e.size(4, 8), s.traffic(0), s.traffic(1))
	defer stop()
	sleep(ctx, e.span(1500*time.Millisecond, 5*time.Second))

	// Hold payments for a moment so that some requests have claimed their keys and wait
	// inside the server when it dies.
	release, err := lockTables(ctx, s.db, "payments")
	if err != nil {
		return err
	}
	sleep(ctx, 500*time.Millisecond)
	srv.Kill()
	release()
	sleep(ctx, 500*time.Millisecond)
	if err := srv.Restart(ctx); err != nil {
		return err
	}
	s.cleared(ctx, "the server restarted after SIGKILL")
	sleep(ctx, e.span(2*time.Second, 10*time.Second))

	sigtermInFlight(ctx, e, s, t)
	if err := srv.Restart(ctx); err != nil {
		return err
	}
	s.cleared(ctx, "the server restarted after SIGTERM")
	sleep(ctx, e.span(1500*time.Millisecond, 5*time.Second))
	return nil
}

// sigtermInFlight sends SIGTERM while requests whose bodies are still on their way are in
// flight: a graceful shutdown answers every one of them.
func sigtermInFlight(ctx context.Context, e *env, s *stack, t *harness.Tally) {
	c := s.client(0)
	defer c.Close()
	n := e.size(8, 32)
	answers := make([]*harness.Answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			email := fmt.Sprintf("inflight-%d-%s@chaos.example", i, harness.NewKey()[6:12])
			answers[i] = c.Once(ctx, harness.Request{Method: http.MethodPost, Path: "/v1/advocates",
				Header: http.Header{"Idempotency-Key": {harness.NewKey()}},
				Body:   mustJSON(map[string]string{"name": "In Flight", "email": email}), Lag: time.Second})
		})
	}
	sleep(ctx, 300*time.Millisecond) // every header is sent; the bodies follow in 700 ms
	if err := s.server().Stop(25 * time.Second); err != nil {
		t.Fail("the server %v", err)
	}
	wg.Wait()
	for _, a := range answers {
		var adv struct {
			ID string `json:"id"`
		}
		if a.OK() && a.Decode(&adv) == nil {
			s.ledger.Keep(harness.KeptAdvocate, adv.ID)
		} else {
			t.Fail("a request in flight at SIGTERM was not finished: %s", a)
		}
	}
}
