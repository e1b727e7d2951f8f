// Package storage keeps the referral program in PostgreSQL or embedded SQLite through gorm.
// It implements referral.Store; the rules themselves live in package referral.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/advocateloop/advocateloop/backend/referral"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open database of either kind.
type DB struct {
	gorm     *gorm.DB
	sql      *sql.DB
	postgres bool
	// idempotencyLease, when set, replaces DefaultIdempotencyLease (see SetIdempotencyLease).
	idempotencyLease time.Duration
}

// Open connects to DATABASE_URL: `postgres://…` for PostgreSQL, `sqlite://PATH` or a bare path
// for SQLite. It does not migrate; call Migrate.
func Open(databaseURL string) (*DB, error) {
	config := &gorm.Config{
		// Silent: gorm would otherwise log slow or failed SQL with its arguments, emails included.
		Logger:                 logger.Default.LogMode(logger.Silent),
		SkipDefaultTransaction: true, // every write already runs in our own transaction
		// No PrepareStmt: gorm's statement cache prepares under one process-wide lock, so a
		// statement waiting on a table lock (its PREPARE needs the table too) held up every other
		// request's new statements, pages included. pgx caches prepared statements per
		// connection on its own, and SQLite prepares in microseconds.
		PrepareStmt: false,
		NowFunc:     func() time.Time { return time.Now().UTC() },
	}
	db := &DB{}
	var dialector gorm.Dialector
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		db.postgres = true
		dialector = postgres.Open(databaseURL)
	} else {
		dsn, err := sqliteDSN(databaseURL)
		if err != nil {
			return nil, err
		}
		dialector = sqlite.Open(dsn)
	}
	// Opening SQLite sets its pragmas, which wait only busy_timeout for a process that is
	// migrating the same file at the same moment: wait for it and try again.
	g, err := gorm.Open(dialector, config)
	for attempt := 0; busySQLite(err) && attempt < 50; attempt++ {
		time.Sleep(100 * time.Millisecond)
		g, err = gorm.Open(dialector, config)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: unable to open database: %w", err)
	}
	db.gorm = g
	if db.sql, err = g.DB(); err != nil {
		return nil, fmt.Errorf("storage: unable to reach the connection pool: %w", err)
	}
	if db.postgres {
		db.sql.SetMaxOpenConns(20)
		db.sql.SetMaxIdleConns(10)
	} else {
		// One connection: SQLite has a single writer anyway, and queueing in the pool is
		// cheaper and simpler than busy retries between connections.
		db.sql.SetMaxOpenConns(1)
	}
	db.sql.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// sqliteDSN turns sqlite://PATH (or a bare path) into the driver's DSN with the pragmas
// embedded use needs: WAL so readers never wait, synchronous=NORMAL (safe with WAL and ~20x
// faster inserts), a busy timeout (first, so the pragmas after it wait too), enforced foreign
// keys, and write-locking transactions. The busy timeout is short because the driver cannot
// interrupt that wait when a request's deadline passes; InTx waits longer by trying again.
func sqliteDSN(databaseURL string) (string, error) {
	path := strings.TrimPrefix(databaseURL, "sqlite://")
	if path == "" {
		path = "advocateloop.db"
	}
	if strings.Contains(path, "://") {
		return "", fmt.Errorf("storage: DATABASE_URL must start with postgres:// or sqlite://")
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(250)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode(), nil
}

// Close releases the connections.
func (db *DB) Close() error { return db.sql.Close() }

// Postgres reports which database this is.
func (db *DB) Postgres() bool { return db.postgres }

// Migrate applies every migration not yet applied. On PostgreSQL an advisory lock keeps
// servers starting together from migrating at once.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	if !db.postgres {
		// Goose holds a connection while a Go migration that runs outside its transaction
		// (migration 11) takes another; the pool is one connection again afterwards.
		db.sql.SetMaxOpenConns(2)
		defer db.sql.SetMaxOpenConns(1)
	}
	// SQLite has no advisory lock: a process migrating the same file at the same moment makes
	// our step fail (each step is its own transaction, so nothing is half-applied); wait for it
	// and look again.
	for attempt := 0; ; attempt++ {
		_, err = p.Up(ctx)
		if err == nil || db.postgres || attempt == 20 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("storage: unable to migrate: %w", err)
	}
	return nil
}

// migrations reads the migrations, SQL and Go, for this database.
func (db *DB) migrations() (*goose.Provider, error) {
	dialect, opts := goose.DialectSQLite3, []goose.ProviderOption{goose.WithGoMigrations(fillNameKeys(db.postgres), standingConversions(db.postgres))}
	if db.postgres {
		// Poll for the lock every second (not goose's default 5 s), for up to 5 minutes.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("storage: unable to create migration lock: %w", err)
		}
		dialect, opts = goose.DialectPostgres, append(opts, goose.WithSessionLocker(locker))
	}
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(dialect, db.sql, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to read migrations: %w", err)
	}
	return p, nil
}

// InTx runs fn in a transaction. It runs it again, a few times, when PostgreSQL reports a
// conflict with a concurrent transaction (serialization failure, deadlock, a unique key taken
// meanwhile) or the connection was lost (a restart, a terminated session), so those never reach
// the caller. Trouble that outlasts the retries is referral.EUnavailable.
func (db *DB) InTx(ctx context.Context, fn func(referral.Tx) error) error {
	return db.retrying(ctx, func() error {
		return db.gorm.WithContext(ctx).Transaction(func(g *gorm.DB) error {
			return fn(&tx{g: g, postgres: db.postgres})
		})
	})
}

// retrying runs op, and again while it fails in a way that passes: a conflict with a
// concurrent transaction (a few times), a lost connection (once more than the pool holds: every
// pooled connection may have been killed at once, and each try discards one), a statement
// cached before a migration changed its table, or SQLite's
// writer lock held by another process (a quarter second at a time, busy_timeout, until the deadline:
// the driver cannot interrupt that wait itself). What still fails is referral.EUnavailable
// when it is trouble in the database.
func (db *DB) retrying(ctx context.Context, op func() error) error {
	var err error
	for attempt := 0; ; attempt++ {
		err = op()
		var again bool
		switch {
		case busySQLite(err):
			again = attempt < 120 // half a minute at most, for work without a deadline
		case connectionLost(err):
			again = attempt <= db.Connections()
		case staleStatement(err):
			// Each pooled connection may hold several such statements, one found per try.
			again = attempt <= 4*db.Connections()
		case conflict(err):
			again = attempt < 3
		}
		if !again || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(min(attempt, 3)+1) * 10 * time.Millisecond):
		}
	}
	return unavailable(err)
}

// conflict reports PostgreSQL refusing a transaction for one that ran beside it: a
// serialization failure, a deadlock, a unique key taken meanwhile.
func conflict(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "40001", "40P01", "23505":
			return true
		}
	}
	return false
}

// Ready checks that the database answers and takes a write, for /readyz: a read-only
// database or a full disk answers a ping but cannot record a payment.
func (db *DB) Ready(ctx context.Context, now time.Time) error {
	err := db.retrying(ctx, func() error {
		return db.gorm.WithContext(ctx).Exec(
			"INSERT INTO readiness (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
			now.UTC()).Error
	})
	if err != nil {
		return fmt.Errorf("storage: the database takes no writes: %w", err)
	}
	return nil
}

// Connections is the most connections the pool opens.
func (db *DB) Connections() int { return db.sql.Stats().MaxOpenConnections }

// SQL is the underlying connection pool, for diagnostics and tests that read rows directly.
func (db *DB) SQL() *sql.DB { return db.sql }
