package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/load"
	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// sqlitePart compares the server on the embedded SQLite with the same driver executing the
// same statements directly. The statements are captured in this process (see inProcess);
// the driver gets a copy of the server's database file and the connection pool the server's
// storage opens (storage.Open: same DSN, pragmas and single connection).
func (b *bench) sqlitePart(ctx context.Context) error {
	dir := filepath.Join(b.opts.work, "sqlite")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	serverFile, driverFile := filepath.Join(dir, "server.db"), filepath.Join(dir, "driver.db")
	p, err := createPractice(ctx, b.opts.bin, "sqlite://"+serverFile, "SQLite Aesthetics")
	if err != nil {
		return err
	}
	db, err := openSQLite(serverFile)
	if err != nil {
		return err
	}
	defer db.Close()
	seed := newSeeder(db, false)

	in, err := openInProcess(ctx, "sqlite://"+serverFile, true)
	if err != nil {
		return err
	}
	t, err := makeTemplates(ctx, in.caller(p.APIKey), db, false, p, false)
	if err != nil {
		in.close()
		return err
	}
	who, err := seed.capturing(ctx, t)
	if err != nil {
		in.close()
		return err
	}
	matchedCap, unmatchedCap, err := captureConversions(ctx, in.record, in.caller(p.APIKey), who)
	in.close()
	if err != nil {
		return err
	}
	b.res.captured("SQLite", matchedCap, unmatchedCap)
	b.writeFile("capture-sqlite-matched.sql", matchedCap.listing())

	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", driverFile); err != nil {
		return fmt.Errorf("bench: copy the SQLite database: %w", err)
	}
	driverDB, err := openSQLite(driverFile)
	if err != nil {
		return err
	}
	defer driverDB.Close()
	driverSeed := newSeeder(driverDB, false)
	driverSeed.next = seed.next
	store, err := storage.Open("sqlite://" + driverFile)
	if err != nil {
		return err
	}
	defer store.Close()
	replay := newReplay(store.SQL(), matchedCap.tpl)

	srv, err := startServer(ctx, b.opts.bin, "DATABASE_URL=sqlite://"+serverFile)
	if err != nil {
		return err
	}
	defer srv.stop()
	client := load.NewClient(srv.url(), p.APIKey, 64)
	defer client.Close()
	for _, c := range b.plan.sqliteCs {
		for rep := range b.plan.reps {
			server, err := b.sqliteServerRun(ctx, client, seed, t, c)
			if err != nil {
				return err
			}
			driver, err := b.sqliteDriverRun(ctx, replay, driverSeed, t, c)
			if err != nil {
				return err
			}
			pr := b.res.sqliteAt(c)
			pr.server, pr.pgbench = append(pr.server, server), append(pr.pgbench, driver)
			progress("SQLite c=%d rep %d: server %.0f req/s, driver %.0f conversions/s", c, rep+1, server, driver)
		}
	}
	b.res.rss["SQLite server"] = srv.peakRSS()
	return nil
}

// sqliteServerRun is a warm-up and a measured closed loop of c clients converting fresh
// friends; a run that runs out of friends runs again with more.
func (b *bench) sqliteServerRun(ctx context.Context, client *load.Client, seed *seeder, t templates, c int) (float64, error) {
	rate := estimate(b.res.sqlite, c, func(p *pair) []float64 { return p.server })
	for range 3 {
		size := poolSize(rate, b.plan.sqliteWarm+b.plan.sqliteRun)
		from, err := seed.pool(ctx, t, size)
		if err != nil {
			return 0, err
		}
		next := friendsFrom(from, size, converted)
		client.Closed(ctx, c, b.plan.sqliteWarm, next)
		s := client.Closed(ctx, c, b.plan.sqliteRun, next)
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if s.Exhausted {
			rate *= 3
			continue
		}
		if s.Wrong+s.Failed > 0 {
			return 0, fmt.Errorf("bench: SQLite server c=%d: %d of %d payments did not convert (answers %v)", c, s.Wrong+s.Failed, s.Sent, s.Statuses)
		}
		return s.Rate(), nil
	}
	return 0, fmt.Errorf("bench: SQLite server c=%d ran out of friends three times", c)
}

// sqliteDriverRun is the same for the driver replaying the captured statements.
func (b *bench) sqliteDriverRun(ctx context.Context, r *replay, seed *seeder, t templates, c int) (float64, error) {
	rate := estimate(b.res.sqlite, c, func(p *pair) []float64 { return p.pgbench })
	for range 3 {
		size := poolSize(rate, b.plan.sqliteWarm+b.plan.sqliteRun)
		from, err := seed.pool(ctx, t, size)
		if err != nil {
			return 0, err
		}
		rows := rowsFrom(from, size)
		if _, err := r.run(ctx, c, b.plan.sqliteWarm, rows); err != nil {
			if errors.Is(err, errNoRows) {
				rate *= 3
				continue
			}
			return 0, err
		}
		got, err := r.run(ctx, c, b.plan.sqliteRun, rows)
		if errors.Is(err, errNoRows) {
			rate *= 3
			continue
		}
		return got, err
	}
	return 0, fmt.Errorf("bench: the SQLite driver c=%d ran out of seeded rows three times", c)
}

// openSQLite is a connection of the bench's own to a SQLite file, patient with the server's
// writer lock.
func openSQLite(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// rowsFrom hands out seeded rows from … from+size-1, once each.
func rowsFrom(from int64, size int) func() (int64, bool) {
	var used atomic.Int64
	return func() (int64, bool) {
		i := used.Add(1) - 1
		return from + i, i < int64(size)
	}
}

// replay executes a captured request's statements through database/sql, as the server's
// storage does: its transactions with BeginTx (the pool's DSN makes them BEGIN IMMEDIATE, as
// the capture shows), statements with their values bound, rows read to the end.
type replay struct {
	db     *sql.DB
	tpl    *sqlreplay.Template
	groups []group
}

// group is a transaction's statements, or one statement outside any.
type group struct {
	tx    bool
	stmts []int
}

func newReplay(db *sql.DB, tpl *sqlreplay.Template) *replay {
	r := &replay{db: db, tpl: tpl}
	var cur *group
	for i, s := range tpl.Statements {
		switch (sqlreplay.Statement{SQL: s.SQL}).Kind() {
		case sqlreplay.Begin:
			r.groups = append(r.groups, group{tx: true})
			cur = &r.groups[len(r.groups)-1]
		case sqlreplay.Commit:
			cur = nil
		default:
			if cur != nil {
				cur.stmts = append(cur.stmts, i)
			} else {
				r.groups = append(r.groups, group{stmts: []int{i}})
			}
		}
	}
	return r
}

// once replays the request about seeded row k.
func (r *replay) once(ctx context.Context, k int64) error {
	for _, g := range r.groups {
		if !g.tx {
			if err := r.exec(ctx, r.db, g.stmts[0], k); err != nil {
				return err
			}
			continue
		}
		tx, err := r.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, i := range g.stmts {
			if err := r.exec(ctx, tx, i, k); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

type querier interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

func (r *replay) exec(ctx context.Context, q querier, i int, k int64) error {
	sqlText, args := r.tpl.Statements[i].SQL, r.tpl.Values(i, k)
	upper := strings.ToUpper(strings.TrimSpace(sqlText))
	if strings.HasPrefix(upper, "SELECT") || strings.HasPrefix(upper, "WITH") || strings.Contains(upper, " RETURNING ") {
		rows, err := q.QueryContext(ctx, sqlText, args...)
		if err != nil {
			return fmt.Errorf("bench: replay statement %d: %w", i+1, err)
		}
		for rows.Next() {
		}
		rows.Close()
		return rows.Err()
	}
	if _, err := q.ExecContext(ctx, sqlText, args...); err != nil {
		return fmt.Errorf("bench: replay statement %d: %w", i+1, err)
	}
	return nil
}

var errNoRows = errors.New("bench: the driver ran out of seeded rows")

// run replays with workers at once for d, and returns replays per second; any error fails it.
func (r *replay) run(ctx context.Context, workers int, d time.Duration, rows func() (int64, bool)) (float64, error) {
	var done atomic.Int64
	var mu sync.Mutex
	var first error
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for time.Now().Before(end) && ctx.Err() == nil {
				k, ok := rows()
				if !ok {
					mu.Lock()
					first = cmpOr(first, errNoRows)
					mu.Unlock()
					return
				}
				if err := r.once(ctx, k); err != nil {
					mu.Lock()
					first = cmpOr(first, err)
					mu.Unlock()
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	if first != nil {
		return 0, first
	}
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
