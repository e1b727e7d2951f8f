package main

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/load"
	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
)

// postgresPart measures on one PostgreSQL database: the SQL of a conversion captured from the
// server, the server against pgbench replaying it at each concurrency, the realistic mix, the
// duplicate storm, and allocations per request.
func (b *bench) postgresPart(ctx context.Context) error {
	if err := b.cluster.createDatabase(ctx, "bench", ""); err != nil {
		return err
	}
	url := b.cluster.URL("bench")
	p, err := createPractice(ctx, b.opts.bin, url, "Bench Aesthetics")
	if err != nil {
		return err
	}
	db, err := b.cluster.open("bench")
	if err != nil {
		return err
	}
	seed := newSeeder(db, true)
	tpl, matchedCap, err := b.captureMatched(ctx, url, p, seed)
	if err != nil {
		db.Close()
		return err
	}
	if allocs, err := allocsPerRequest(ctx, url, p, seed, tpl, b.plan.allocsSample); err != nil {
		b.res.notes = append(b.res.notes, "allocations per request not measured: "+err.Error())
	} else {
		b.res.allocs = allocs
	}
	// pgbench gets a copy of the database as it is now (nobody may be connected to it), so the
	// server's workers never see pgbench's rows.
	db.Close()
	if err := b.cluster.createDatabase(ctx, "pgbench", "bench"); err != nil {
		return err
	}
	if seed.db, err = b.cluster.open("bench"); err != nil {
		return err
	}
	defer seed.db.Close()
	pg, pgSeed, err := b.pgbenchOf(ctx, matchedCap, seed.next)
	if err != nil {
		return err
	}
	defer pgSeed.db.Close()

	srv, err := startServer(ctx, b.opts.bin, "DATABASE_URL="+url)
	if err != nil {
		return err
	}
	defer srv.stop()
	client := load.NewClient(srv.url(), p.APIKey, 256)
	defer client.Close()
	runs := &matchedRuns{b: b, client: client, seed: seed, tpl: tpl, pg: pg, pgSeed: pgSeed}
	for _, c := range b.plan.clients {
		for rep := range b.plan.reps {
			if err := runs.server(ctx, c); err != nil {
				return err
			}
			if err := runs.pgbench(ctx, c); err != nil {
				return err
			}
			progress("matched c=%d rep %d: server %.0f req/s, pgbench %.0f tps", c, rep+1,
				last(b.res.matched[c].server), last(b.res.matched[c].pgbench))
		}
	}
	if err := b.mix(ctx, client, seed, tpl, runs.maxServerRate()); err != nil {
		return err
	}
	if err := b.storm(ctx, srv, p, seed, tpl); err != nil {
		return err
	}
	b.res.rss["PostgreSQL server (matched, mix, storm)"] = srv.peakRSS()
	return nil
}

// captureMatched makes the practice's template rows and captures its requests on a quiet
// server, and keeps what the captures say.
func (b *bench) captureMatched(ctx context.Context, url string, p practice, seed *seeder) (templates, *captured, error) {
	quiet, err := b.quietServer(ctx, url)
	if err != nil {
		return templates{}, nil, err
	}
	defer quiet.stop()
	client := load.NewClient(quiet.url(), p.APIKey, 4)
	defer client.Close()
	tpl, err := makeTemplates(ctx, httpCaller(client), seed.db, true, p, false)
	if err != nil {
		return tpl, nil, err
	}
	who, err := seed.capturing(ctx, tpl)
	if err != nil {
		return tpl, nil, err
	}
	matchedCap, unmatchedCap, err := b.captureOn(ctx, quiet, seed.db, p, who)
	if err != nil {
		return tpl, nil, err
	}
	b.res.captured("PostgreSQL", matchedCap, unmatchedCap)
	b.writeFile("capture-postgres-matched.sql", matchedCap.listing())
	b.writeFile("capture-postgres-unmatched.sql", unmatchedCap.listing())
	return tpl, matchedCap, nil
}

// pgbenchOf writes the matched capture's pgbench script for the pgbench database, whose seed
// numbers rows on from next.
func (b *bench) pgbenchOf(ctx context.Context, c *captured, next int64) (*pgbench, *seeder, error) {
	db, err := b.cluster.open("pgbench")
	if err != nil {
		return nil, nil, err
	}
	seed := newSeeder(db, true)
	seed.next = next
	types, err := paramTypes(ctx, b.cluster.URL("pgbench"), c.tpl)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	script, err := c.tpl.PGBench(types)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	pg, err := newPGBench(b.opts.pgBin, b.cluster, "pgbench", b.opts.out, script)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	b.writeFile("pgbench-command.txt", "# base: the first of clients × transactions pending friends seeded for the run (docs/performance.md)\n"+
		"pgbench "+strings.Join(quoteArgs(pg.command(8, b.plan.run, next)), " ")+"\n")
	return pg, seed, nil
}

// quietServer starts a server whose background workers sleep, so that the statement log
// holds the requests' statements only.
func (b *bench) quietServer(ctx context.Context, url string) (*server, error) {
	return startServer(ctx, b.opts.bin, "DATABASE_URL="+url, "ADVOCATELOOP_DELIVERY_INTERVAL=1h")
}

// captureOn captures practice p's matched conversions and unmatched payers from srv, with
// PostgreSQL's statement log on for the while.
func (b *bench) captureOn(ctx context.Context, srv *server, db *sql.DB, p practice, who capturing) (matchedCap, unmatchedCap *captured, err error) {
	client := load.NewClient(srv.url(), p.APIKey, 4)
	defer client.Close()
	if err := b.cluster.logStatements(ctx, true); err != nil {
		return nil, nil, err
	}
	defer func() {
		if err := b.cluster.logStatements(context.WithoutCancel(ctx), false); err != nil {
			progress("could not turn the statement log off: %v", err)
		}
	}()
	record := func(fn func() error) ([]sqlreplay.Statement, error) { return b.cluster.capture(ctx, db, fn) }
	return captureConversions(ctx, record, httpCaller(client), who)
}

// matchedRuns interleaves the server and pgbench doing matched conversions.
type matchedRuns struct {
	b      *bench
	client *load.Client
	seed   *seeder
	tpl    templates
	pg     *pgbench
	pgSeed *seeder
}

// poolSize is how many friends a run of d at rate needs, with room to spare.
func poolSize(rate float64, d time.Duration) int {
	return max(500, int(math.Ceil(rate*d.Seconds()*1.6)))
}

// estimate is the rate to size a run's pool for: the best seen so far at this concurrency, or
// twice the best at any lower one, or a guess.
func estimate(byC map[int]*pair, c int, pick func(*pair) []float64) float64 {
	best := 2000.0
	for cc, p := range byC {
		for _, r := range pick(p) {
			if cc == c {
				best = max(best, r*1.2)
			} else if cc < c {
				best = max(best, 2*r)
			}
		}
	}
	return best
}

// server is one server run: a warm-up, then a measured closed loop of c clients, each
// payment converting a fresh pending referral. A run that runs out of friends is run again
// with a bigger pool.
func (m *matchedRuns) server(ctx context.Context, c int) error {
	rate := estimate(m.b.res.matched, c, func(p *pair) []float64 { return p.server })
	for range 3 {
		size := poolSize(rate, m.b.plan.warm+m.b.plan.run)
		from, err := m.seed.pool(ctx, m.tpl, size)
		if err != nil {
			return err
		}
		next := friendsFrom(from, size, converted)
		m.client.Closed(ctx, c, m.b.plan.warm, next)
		s := m.client.Closed(ctx, c, m.b.plan.run, next)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if s.Exhausted {
			rate *= 3
			continue
		}
		if s.Wrong+s.Failed > 0 {
			return fmt.Errorf("bench: matched c=%d: %d of %d payments did not convert (answers %v)", c, s.Wrong+s.Failed, s.Sent, s.Statuses)
		}
		m.b.res.pairAt(c).server = append(m.b.res.pairAt(c).server, s.Rate())
		m.b.res.matchedLatency(c, s)
		return nil
	}
	return fmt.Errorf("bench: matched c=%d: the server ran out of friends three times", c)
}

// pgbench is one pgbench run: a warm-up, then a measured run, on fresh friends of its own.
func (m *matchedRuns) pgbench(ctx context.Context, c int) error {
	rate := estimate(m.b.res.matched, c, func(p *pair) []float64 { return p.pgbench })
	rate = max(rate, 3*last(m.b.res.pairAt(c).server))
	for range 3 {
		warm, run := poolSize(rate, m.b.plan.warm), poolSize(rate, m.b.plan.run)
		from, err := m.pgSeed.pool(ctx, m.tpl, warm+run)
		if err != nil {
			return err
		}
		if _, err := m.pg.run(ctx, c, m.b.plan.warm, from); err != nil {
			if strings.Contains(err.Error(), "violates foreign key") {
				rate *= 3 // out of friends
				continue
			}
			return err
		}
		r, err := m.pg.run(ctx, c, m.b.plan.run, from+int64(warm))
		if err != nil {
			if strings.Contains(err.Error(), "violates foreign key") {
				rate *= 3
				continue
			}
			return err
		}
		if err := m.checkConverted(ctx, from+int64(warm), from+int64(warm+run), r.processed); err != nil {
			return err
		}
		m.b.res.pairAt(c).pgbench = append(m.b.res.pairAt(c).pgbench, r.tps)
		return nil
	}
	return fmt.Errorf("bench: pgbench c=%d ran out of friends three times", c)
}

// checkConverted proves pgbench did real conversions: as many referrals of its run's pool
// (rows from … to-1) converted as it counted transactions.
func (m *matchedRuns) checkConverted(ctx context.Context, from, to int64, processed int64) error {
	var n int64
	err := m.pgSeed.db.QueryRowContext(ctx, "SELECT count(*) FROM referrals WHERE id >= $1 AND id < $2 AND status <> 'pending'",
		seededID("ref", from), seededID("ref", to)).Scan(&n)
	if err != nil {
		return err
	}
	if n != processed {
		return fmt.Errorf("bench: pgbench counted %d transactions but %d referrals converted: the replay is not doing the server's work", processed, n)
	}
	return nil
}

func (m *matchedRuns) maxServerRate() float64 {
	best := 0.0
	for _, p := range m.b.res.matched {
		for _, r := range p.server {
			best = max(best, r)
		}
	}
	return best
}

// friendsFrom hands out the pool's friends one payment each, until there are none left.
func friendsFrom(from int64, size int, good func(int, []byte) bool) load.Next {
	var used atomic.Int64
	return func(int) (load.Request, bool) {
		i := used.Add(1) - 1
		if i >= int64(size) {
			return load.Request{}, false
		}
		return load.Request{Body: matched(from + i), Expect: good}, true
	}
}

func last(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[len(xs)-1]
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " '\"{}$&;|<>()\\*?") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return out
}
