package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// receiverKind is a hook receiver's behaviour, and whether it comes to accept deliveries.
type receiverKind struct {
	name       string
	behave     func(attempt int) harness.Reply
	eventually bool // it accepts in the end: every event must reach it
}

var receiverKinds = []receiverKind{
	{"healthy", harness.Healthy, true},
	{"failing once", func(n int) harness.Reply {
		if n == 1 {
			return harness.Reply{Status: http.StatusInternalServerError}
		}
		return harness.Reply{Status: http.StatusOK}
	}, true},
	{"throttling once", func(n int) harness.Reply {
		if n == 1 {
			return harness.Reply{Status: http.StatusTooManyRequests, RetryAfter: 1}
		}
		return harness.Reply{Status: http.StatusOK}
	}, true},
	{"hanging", func(int) harness.Reply { return harness.Reply{Status: http.StatusOK, Hang: time.Hour} }, false},
	{"gone", func(int) harness.Reply { return harness.Reply{Status: http.StatusGone} }, false},
}

// hookTypes are the events the receivers subscribe to.
var hookTypes = []string{"advocate.created", "referral.created", "conversion.recorded"}

// hookReceivers subscribes receivers that are healthy, fail once, answer 429 once, hang, or
// answer 410, and makes events before and after a server restart (SIGTERM in the short form,
// SIGKILL in the full run). Every event must reach each receiver that comes to accept it,
// with its event id and a valid signature; a hanging receiver must not hold up the others;
// nothing may reach a receiver after it answered 410, and its hook must be gone.
func hookReceivers(ctx context.Context, e *env, t *harness.Tally) error {
	s, err := e.stack(ctx, t, options{})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	p := s.practices[0]
	c := s.client(0)
	defer c.Close()
	receivers := map[string]*harness.Receiver{}
	for _, k := range receiverKinds {
		r, err := harness.NewReceiver(k.name, p.WebhookSecret, k.behave)
		if err != nil {
			return err
		}
		defer r.Close()
		receivers[k.name] = r
		for _, event := range hookTypes {
			if a := c.PostJSON(ctx, "/v1/hooks", map[string]string{"event": event, "target_url": r.URL}); !a.OK() {
				return fmt.Errorf("chaos: subscribing a hook answered %s: %s", a, a.Body)
			}
		}
	}

	tr := s.traffic(0)
	for range e.size(6, 30) {
		tr.chain(ctx)
	}
	sleep(ctx, time.Second)
	if e.short {
		if err := s.server().Stop(25 * time.Second); err != nil {
			t.Fail("the server %v", err)
		}
	} else {
		s.server().Kill()
	}
	if err := s.server().Restart(ctx); err != nil {
		return err
	}
	s.cleared(ctx, "the server restarted")
	restarted := time.Now()
	for range e.size(6, 30) {
		tr.chain(ctx)
	}

	events, err := eventsOf(ctx, s.db, p.ID, hookTypes...)
	if err != nil {
		return err
	}
	// The first retry comes 10 s after a failure: 25 s leaves room for one more.
	until := time.Now().Add(e.span(25*time.Second, 150*time.Second))
	for time.Now().Before(until) && ctx.Err() == nil && !allReached(events, receivers) {
		sleep(ctx, 500*time.Millisecond)
	}
	for _, k := range receiverKinds {
		r := receivers[k.name]
		if n := r.BadSignatures(); n > 0 {
			t.Fail("%d deliveries to the %s receiver had no valid signature for their event id", n, k.name)
		}
		if !k.eventually {
			continue
		}
		acked, missing := r.Acked(), 0
		for id := range events {
			if _, ok := acked[id]; !ok {
				missing++
			}
		}
		if missing > 0 {
			t.Fail("%d of %d events never reached the %s receiver", missing, len(events), k.name)
		}
	}
	late := 0
	for id, at := range receivers["healthy"].Acked() {
		if created, ok := events[id]; ok && created.After(restarted) && at.Sub(created) > 5*time.Second {
			late++
		}
	}
	if late > 0 {
		t.Fail("%d events reached the healthy receiver more than 5 s after they happened: a hanging receiver held up the others", late)
	}
	if n := receivers["gone"].AfterGone(); n > 0 {
		t.Fail("%d deliveries reached a receiver after it answered 410", n)
	}
	var left int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM hooks WHERE target_url = $1", receivers["gone"].URL).Scan(&left); err != nil {
		return err
	}
	if left > 0 {
		t.Fail("%d hooks of a receiver that answered 410 are still subscribed", left)
	}
	t.Note("%d events; the healthy receiver took %d deliveries", len(events), total(receivers["healthy"].Seen()))
	return nil
}

// eventsOf is every event of a practice of these types, and when it happened.
func eventsOf(ctx context.Context, db *sql.DB, practiceID string, types ...string) (map[string]time.Time, error) {
	args := []any{practiceID}
	marks := make([]string, len(types))
	for i, ty := range types {
		args = append(args, ty)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := db.QueryContext(ctx, "SELECT id, created_at FROM events WHERE practice_id = $1 AND type IN ("+
		strings.Join(marks, ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		out[id] = at
	}
	return out, rows.Err()
}

// allReached reports whether every receiver that comes to accept has taken every event.
func allReached(events map[string]time.Time, receivers map[string]*harness.Receiver) bool {
	for _, k := range receiverKinds {
		if !k.eventually {
			continue
		}
		acked := receivers[k.name].Acked()
		for id := range events {
			if _, ok := acked[id]; !ok {
				return false
			}
		}
	}
	return true
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
