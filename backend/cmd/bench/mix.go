package main

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/load"
)

// mixResult is the realistic mix: its maximum rate, and latency at half of it.
type mixResult struct {
	maxRate    float64
	maxClients int
	halfRate   float64 // offered, open loop
	achieved   float64 // answered as expected, per second
	p50, p99   float64 // ms, from each request's scheduled time
	wrong      int     // answered, but not as the request expected
	failed     int     // not answered
	exhausted  bool
}

// mixGen makes a med spa's day of payments: 80% payers who are nobody's friend but give a
// name (near-miss matching looks at them), 15% friends paying for the first time (a
// conversion), 5% replays of an earlier payment (a Zap's retry).
type mixGen struct {
	friends load.Next
	payers  atomic.Int64
	mu      sync.Mutex
	earlier [][]byte
}

func newMixGen(friends int64, count int, payers int64) *mixGen {
	// A replay may overtake the payment it repeats, and answer first: in the mix either may
	// be the one that converts.
	g := &mixGen{friends: friendsFrom(friends, count, convertedOrReplayed)}
	g.payers.Store(payers)
	return g
}

func (g *mixGen) next(int) (load.Request, bool) {
	var r load.Request
	switch x := rand.Float64(); {
	case x < 0.05:
		g.mu.Lock()
		if n := len(g.earlier); n > 0 {
			r = load.Request{Body: g.earlier[rand.IntN(n)], Expect: answered}
		}
		g.mu.Unlock()
		if r.Body != nil {
			return r, true
		}
		fallthrough // nothing to replay yet
	case x < 0.85:
		r = load.Request{Body: unmatched(g.payers.Add(1)), Expect: noMatch}
	default:
		var ok bool
		if r, ok = g.friends(0); !ok {
			return r, false
		}
	}
	g.mu.Lock()
	if len(g.earlier) < 4096 {
		g.earlier = append(g.earlier, r.Body)
	} else {
		g.earlier[rand.IntN(len(g.earlier))] = r.Body
	}
	g.mu.Unlock()
	return r, true
}

// mix finds the mix's maximum rate with closed loops of 8 and 32 clients, then offers half of
// it as a constant arrival rate and measures latency. matchedRate sizes the friends' pool.
func (b *bench) mix(ctx context.Context, client *load.Client, seed *seeder, t templates, matchedRate float64) error {
	var res mixResult
	run := func(measure func(load.Next) load.Stats, rate float64) (load.Stats, error) {
		friends := poolSize(rate*0.15*1.5, b.plan.warm+max(b.plan.mixRun, b.plan.halfLoadRun))
		from, err := seed.pool(ctx, t, friends)
		if err != nil {
			return load.Stats{}, err
		}
		g := newMixGen(from, friends, seed.alloc(10_000_000))
		s := measure(g.next)
		res.exhausted = res.exhausted || s.Exhausted
		return s, nil
	}
	for _, c := range []int{8, 32} {
		s, err := run(func(next load.Next) load.Stats {
			client.Closed(ctx, c, b.plan.warm, next)
			return client.Closed(ctx, c, b.plan.mixRun, next)
		}, max(matchedRate, 1000))
		if err != nil {
			return err
		}
		res.wrong += s.Wrong
		res.failed += s.Failed
		if s.Rate() > res.maxRate {
			res.maxRate, res.maxClients = s.Rate(), c
		}
		progress("mix closed loop c=%d: %.0f req/s", c, s.Rate())
	}
	res.halfRate = res.maxRate / 2
	s, err := run(func(next load.Next) load.Stats {
		return client.Open(ctx, res.halfRate, b.plan.halfLoadRun, 2048, next)
	}, res.halfRate)
	if err != nil {
		return err
	}
	res.achieved = s.Rate()
	res.p50, res.p99 = load.Ms(s.Percentile(50)), load.Ms(s.Percentile(99))
	res.wrong += s.Wrong
	res.failed += s.Failed
	progress("mix open loop at %.0f req/s: p50 %.1f ms, p99 %.1f ms", res.halfRate, res.p50, res.p99)
	b.res.mix = &res
	return nil
}
