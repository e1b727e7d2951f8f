package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// slowClients opens connections that send nothing, half a request head, or a body one byte at
// a time, while Zaps go on working. The Zaps must be served about as fast as before, and a
// slow but complete request must still be answered.
func slowClients(ctx context.Context, e *env, t *harness.Tally) error {
	// The product's own request deadline: a trickled body takes seconds on purpose here.
	s, err := e.stack(ctx, t, options{vars: []string{"ADVOCATELOOP_REQUEST_TIMEOUT=20s"}})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	tr := s.traffic(0)
	stop := drive(ctx, 3, tr)
	defer stop()
	sleep(ctx, e.span(1500*time.Millisecond, 5*time.Second))
	before := percentile(tr.takeLatencies(), 95)

	n, trickle := e.size(60, 300), e.span(3*time.Second, 10*time.Second)
	c := harness.NewClient(s.server().URL(), s.practices[0].APIKey, t, e.patience()).From("127.0.0.2")
	defer c.Close()
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			switch i % 3 {
			case 0, 1: // a connection that sends nothing, or half a head, and waits
				conn, err := c.Dial(ctx)
				if err != nil {
					return
				}
				defer conn.Close()
				if i%3 == 1 {
					fmt.Fprintf(conn, "POST /v1/advocates HTTP/1.1\r\nHost: chaos\r\nAuthorization: Bearer %s\r\n", s.practices[0].APIKey)
				}
				<-done
			case 2: // a whole payment whose body comes one byte at a time
				invoice := fmt.Sprintf("SLOW-%d-%s", i, harness.NewKey()[6:12])
				body := mustJSON(map[string]string{"invoice_id": invoice, "email": madeEmail(), "amount": "45.00"})
				head := fmt.Sprintf("POST /v1/conversions HTTP/1.1\r\nHost: chaos\r\nAuthorization: Bearer %s\r\n"+
					"Idempotency-Key: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
					s.practices[0].APIKey, harness.NewKey(), len(body))
				a := c.Trickle(ctx, "POST /v1/conversions", []byte(head), body, trickle, harness.API)
				if a.OK() {
					s.ledger.Keep(harness.KeptPayment, s.practices[0].ID, invoice, "")
					return
				}
				t.Fail("a slow but complete request was answered %s", a)
			}
		})
	}
	sleep(ctx, trickle+time.Second)
	during := percentile(tr.takeLatencies(), 95)
	close(done)
	wg.Wait()
	t.Note("Zaps' p95 was %d ms before and %d ms while %d slow clients held connections", before.Milliseconds(), during.Milliseconds(), n)
	if during > max(3*before, 500*time.Millisecond) {
		t.Fail("Zaps slowed from %d ms to %d ms at p95 while slow clients held connections", before.Milliseconds(), during.Milliseconds())
	}
	return nil
}
