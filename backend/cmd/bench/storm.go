package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/load"
	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
)

// stormResult counts what duplicate storms left behind.
type stormResult struct {
	storms, size int
	extra        int // rewards beyond one, over all storms
	none         int // storms that issued no reward at all
	statuses     map[int]int
	failed       int // copies that got no answer
}

// storm sends the same payment from many connections at once, a few times, and counts the
// rewards each payment issued: exactly one is right.
func (b *bench) storm(ctx context.Context, srv *server, p practice, seed *seeder, t templates) error {
	res := &stormResult{storms: b.plan.storms, size: b.plan.stormSize, statuses: map[int]int{}}
	for range b.plan.storms {
		n, err := seed.pool(ctx, t, 1)
		if err != nil {
			return err
		}
		body := matched(n)
		var ready, done sync.WaitGroup
		fire := make(chan struct{})
		var mu sync.Mutex
		for range b.plan.stormSize {
			ready.Add(1)
			done.Go(func() {
				// Each copy has a connection of its own, opened first, so all leave at once.
				client := load.NewClient(srv.url(), p.APIKey, 1)
				defer client.Close()
				_, _, _ = client.Do(ctx, load.Request{Path: "/healthz"})
				ready.Done()
				<-fire
				status, _, err := client.Do(ctx, load.Request{Body: body})
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					res.failed++
					return
				}
				res.statuses[status]++
			})
		}
		ready.Wait()
		close(fire)
		done.Wait()
		var rewards int
		err = seed.db.QueryRowContext(ctx, `SELECT count(*) FROM rewards r JOIN conversions c ON c.id = r.conversion_id
			WHERE c.practice_id = $1 AND c.invoice_id = $2`, p.ID, "INV-"+sqlreplay.Marker(n)).Scan(&rewards)
		if err != nil {
			return fmt.Errorf("bench: count the storm's rewards: %w", err)
		}
		res.extra += max(0, rewards-1)
		if rewards == 0 {
			res.none++
		}
	}
	b.res.storm = res
	progress("storm: %d × %d copies, %d extra rewards, %d storms without one, answers %v", res.storms, res.size, res.extra, res.none, res.statuses)
	return nil
}
