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
	url := b.cluster.url("large")
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

	// The data set, seeded from rows the server made, then the captures, on a quiet server.
	srv, err := b.quietServer(ctx, url)
	if err != nil {
		return err
	}
	defer srv.stop()
	largeT, err := makeTemplates(ctx, httpCaller(load.NewClient(srv.url(), large.APIKey, 1)), db, true, large, true)
	if err != nil {
		return err
	}
	emptyT, err := makeTemplates(ctx, httpCaller(load.NewClient(srv.url(), empty.APIKey, 1)), db, true, empty, false)
	if err != nil {
		return err
	}
	t0 := time.Now()
	set := b.plan.large
	if err := seed.history(ctx, largeT, set.advocates, set.referrals); err != nil {
		return err
	}
	if err := seed.smallPractices(ctx, largeT, set.small, set.smallAdvocates, set.smallReferrals); err != nil {
		return err
	}
	if err := seed.analyze(ctx); err != nil {
		return err
	}
	res.seedTime = time.Since(t0)
	progress("seeded %d advocates and %d referrals in one practice, %d small practices, in %s", set.advocates, set.referrals, set.small, since(t0))
	b.res.copiedColumns = seed.copied
	matchedCap, unmatchedCap, err := b.captureOn(ctx, srv, db, large, seed, largeT)
	if err != nil {
		return err
	}
	srv.stop()
	b.writeFile("capture-large-matched.sql", matchedCap.listing())
	b.writeFile("capture-large-unmatched.sql", unmatchedCap.listing())

	var plans string
	for _, c := range []*captured{matchedCap, unmatchedCap} {
		k := seed.alloc(1)
		if c.kind == "matched" {
			if k, err = seed.pool(ctx, largeT, 1); err != nil {
				return err
			}
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
	if err := b.compareP50(ctx, main, seed, large, largeT, empty, emptyT, res); err != nil {
		return err
	}
	b.res.rss["PostgreSQL server (large data set)"] = main.peakRSS()
	b.res.large = res
	return nil
}

// compareP50 sends, one at a time and in turn, a matched payment and an unmatched payer with
// a name to the large practice and to the empty one, and keeps each kind's median latency.
func (b *bench) compareP50(ctx context.Context, srv *server, seed *seeder, large practice, largeT templates, empty practice, emptyT templates, res *largeResult) error {
	warm, n := 20, b.plan.p50Requests
	type kind struct {
		client *load.Client
		next   func(i int) load.Request
		lat    []time.Duration
	}
	var kinds []*kind
	for _, pt := range []struct {
		p practice
		t templates
	}{{large, largeT}, {empty, emptyT}} {
		client := load.NewClient(srv.url(), pt.p.APIKey, 1)
		defer client.Close()
		friends, err := seed.pool(ctx, pt.t, warm+n)
		if err != nil {
			return err
		}
		payers := seed.alloc(warm + n)
		kinds = append(kinds,
			&kind{client: client, next: func(i int) load.Request {
				return load.Request{Body: matched(friends + int64(i)), Expect: converted}
			}},
			&kind{client: client, next: func(i int) load.Request {
				return load.Request{Body: unmatched(payers + int64(i)), Expect: noMatch}
			}})
	}
	for i := range warm + n {
		for _, k := range kinds {
			r := k.next(i)
			t0 := time.Now()
			status, body, err := k.client.Do(ctx, r)
			if err != nil {
				return err
			}
			if !r.Expect(status, body) {
				return fmt.Errorf("bench: %s answered %d: %.200s", r.Body, status, body)
			}
			if i >= warm {
				k.lat = append(k.lat, time.Since(t0))
			}
		}
	}
	p50 := func(k *kind) float64 { return load.Ms(load.Percentile(k.lat, 50)) }
	res.matchedLarge, res.payerLarge, res.matchedNone, res.payerNone = p50(kinds[0]), p50(kinds[1]), p50(kinds[2]), p50(kinds[3])
	progress("p50 large/empty: matched %.2f/%.2f ms, unmatched %.2f/%.2f ms", res.matchedLarge, res.matchedNone, res.payerLarge, res.payerNone)
	return nil
}
