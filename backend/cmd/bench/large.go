package main

import (
	"context"
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/load"
)

// largeResult compares a large practice with an empty one in the same database.
type largeResult struct {
	set                       dataSet
	seedTime                  time.Duration
	matchedLarge, matchedNone float64 // p50 ms
	payerLarge, payerNone     float64 // p50 ms, unmatched payers with a name
	plans                     []explained
}

// largePart seeds one large practice among many small ones (and an empty practice), captures
// its conversions, EXPLAINs every statement they issue, and compares the p50 of matched and of
// unmatched payments between the large practice and the empty one, one request at a time.
func (b *bench) largePart(ctx context.Context) error {
	if err := b.cluster.createDatabase(ctx, "large", ""); err != nil {
		return err
	}
	url := b.cluster.URL("large")
	large, err := createPractice(ctx, b.opts.bin, url, "Large Aesthetics")
	if err != nil {
		return err
	}
	empty, err := createPractice(ctx, b.opts.bin, url, "Empty Aesthetics")
	if err != nil {
		return err
	}
	db, err := b.cluster.open("large")
	if err != nil {
		return err
	}
	defer db.Close()
	seed := newSeeder(db, true)
	res := &largeResult{set: b.plan.large}

	srv, err := b.quietServer(ctx, url)
	if err != nil {
		return err
	}
	defer srv.stop()
	largeClient, emptyClient := load.NewClient(srv.url(), large.APIKey, 1), load.NewClient(srv.url(), empty.APIKey, 1)
	defer largeClient.Close()
	defer emptyClient.Close()
	largeT, err := makeTemplates(ctx, httpCaller(largeClient), db, true, large, true)
	if err != nil {
		return err
	}
	emptyT, err := makeTemplates(ctx, httpCaller(emptyClient), db, true, empty, false)
	if err != nil {
		return err
	}

	// Row numbers are ids in time order: the friends the bench converts are seeded before the
	// history, so that the large practice's newest referrals are its history's, not theirs.
	t0 := time.Now()
	set := b.plan.large
	if err := seed.smallPractices(ctx, largeT, set.small, set.smallAdvocates, set.smallReferrals); err != nil {
		return err
	}
	who, err := seed.capturing(ctx, largeT)
	if err != nil {
		return err
	}
	explained, err := seed.pool(ctx, largeT, 1)
	if err != nil {
		return err
	}
	turns := 20 + b.plan.p50Requests
	largeFriends, err := seed.pool(ctx, largeT, turns)
	if err != nil {
		return err
	}
	emptyFriends, err := seed.pool(ctx, emptyT, turns)
	if err != nil {
		return err
	}
	if err := seed.history(ctx, largeT, set.advocates, set.referrals); err != nil {
		return err
	}
	if err := seed.analyze(ctx); err != nil {
		return err
	}
	res.seedTime = time.Since(t0)
	progress("seeded %d advocates and %d referrals in one practice, %d small practices, in %s", set.advocates, set.referrals, set.small, since(t0))
	b.res.copiedColumns = seed.copied

	matchedCap, unmatchedCap, err := b.captureOn(ctx, srv, db, large, who)
	if err != nil {
		return err
	}
	srv.stop()
	b.res.captured("PostgreSQL large practice", matchedCap, unmatchedCap)
	b.writeFile("capture-large-matched.sql", matchedCap.listing())
	b.writeFile("capture-large-unmatched.sql", unmatchedCap.listing())
	var plans string
	for _, c := range []*captured{matchedCap, unmatchedCap} {
		k := explained
		if c.kind == "unmatched" {
			k = seed.alloc(1)
		}
		rows, full, err := explain(ctx, url, c, k)
		if err != nil {
			return err
		}
		res.plans = append(res.plans, rows...)
		plans += full
	}
	b.writeFile("explain-large.txt", plans)

	main, err := startServer(ctx, b.opts.bin, "DATABASE_URL="+url)
	if err != nil {
		return err
	}
	defer main.stop()
	err = b.compareP50(ctx, res, turns,
		turn{client: load.NewClient(main.url(), large.APIKey, 1), friends: largeFriends, payers: seed.alloc(turns)},
		turn{client: load.NewClient(main.url(), empty.APIKey, 1), friends: emptyFriends, payers: seed.alloc(turns)})
	if err != nil {
		return err
	}
	b.res.rss["PostgreSQL server (large data set)"] = main.peakRSS()
	b.res.large = res
	return nil
}

// turn is one practice's side of the comparison: its key, and the friends and payers it has.
type turn struct {
	client          *load.Client
	friends, payers int64
}

// compareP50 sends, one at a time and in turn, a matched payment and an unmatched payer with
// a name to the large practice and to the empty one, and keeps each kind's median latency
// (after 20 turns of warm-up).
func (b *bench) compareP50(ctx context.Context, res *largeResult, turns int, large, empty turn) error {
	defer large.client.Close()
	defer empty.client.Close()
	const warm = 20
	lat := make([][]time.Duration, 4) // matched large, unmatched large, matched empty, unmatched empty
	for i := range int64(turns) {
		for j, tn := range []turn{large, empty} {
			for m, r := range []load.Request{
				{Body: matched(tn.friends + i), Expect: converted},
				{Body: unmatched(tn.payers + i), Expect: noMatch},
			} {
				t0 := time.Now()
				status, body, err := tn.client.Do(ctx, r)
				if err != nil {
					return err
				}
				if !r.Expect(status, body) {
					return fmt.Errorf("bench: %s answered %d: %.200s", r.Body, status, body)
				}
				if i >= warm {
					lat[2*j+m] = append(lat[2*j+m], time.Since(t0))
				}
			}
		}
	}
	p50 := func(i int) float64 { return load.Ms(load.Percentile(lat[i], 50)) }
	res.matchedLarge, res.payerLarge, res.matchedNone, res.payerNone = p50(0), p50(1), p50(2), p50(3)
	progress("p50 large/empty: matched %.2f/%.2f ms, unmatched %.2f/%.2f ms", res.matchedLarge, res.matchedNone, res.payerLarge, res.payerNone)
	return nil
}
