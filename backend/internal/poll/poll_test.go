package poll_test

import (
	"context"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/poll"
)

// hour is an interval no test waits out: a round that comes sooner came for another reason.
const hour = time.Hour

// After a round with more due, the next comes at once; after one without, Run waits.
func TestRunGoesStraightOnWhileMoreIsDue(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rounds := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		poll.Run(ctx, hour, nil, func() bool {
			rounds++
			if rounds == 3 {
				cancel()
			}
			return true
		})
	}()
	<-done
	if rounds != 3 || context.Cause(ctx) != context.Canceled {
		t.Fatalf("%d rounds, ctx %v; want 3 rounds, then stopped by the test rather than the timeout", rounds, context.Cause(ctx))
	}
}

// A wake-up starts the next round before the interval; more wake-ups than rounds do not pile
// up into extra rounds.
func TestWakeStartsARoundEarly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wake := poll.NewWake()
	rounds := make(chan int, 10)
	for range 3 {
		wake.Signal() // never blocks, however many are sent while none is taken
	}
	n := 0
	go poll.Run(ctx, hour, wake, func() bool { n++; rounds <- n; return false })
	next := func() int {
		t.Helper()
		select {
		case r := <-rounds:
			return r
		case <-time.After(5 * time.Second):
			t.Fatal("no round came")
			return 0
		}
	}
	next() // the first round runs at once
	if got := next(); got != 2 {
		t.Fatalf("round %d after the wake-ups, want 2", got)
	}
	select {
	case r := <-rounds:
		t.Fatalf("round %d came without a wake-up or the interval", r)
	case <-time.After(100 * time.Millisecond):
	}
	wake.Signal()
	if got := next(); got != 3 {
		t.Fatalf("round %d after a wake-up while waiting, want 3", got)
	}
}

// Without wake-ups, rounds come every interval; Run returns soon after ctx ends.
func TestRunWaitsTheIntervalAndStopsWithCtx(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	rounds := make(chan time.Time, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		poll.Run(ctx, 50*time.Millisecond, nil, func() bool { rounds <- time.Now(); return false })
	}()
	first, second := <-rounds, <-rounds
	if gap := second.Sub(first); gap < 50*time.Millisecond {
		t.Fatalf("rounds %s apart, want at least the interval", gap)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run still going after ctx ended")
	}
}
