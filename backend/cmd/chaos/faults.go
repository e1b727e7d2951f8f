package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// sleep waits d, or less if ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// every runs fn every interval for d, starting after the first interval.
func every(ctx context.Context, interval, d time.Duration, fn func()) {
	end := time.Now().Add(d)
	for time.Now().Add(interval).Before(end) && ctx.Err() == nil {
		sleep(ctx, interval)
		fn()
	}
	sleep(ctx, time.Until(end))
}

// lockTables holds PostgreSQL tables in ACCESS EXCLUSIVE mode, as a migration or a careless
// maintenance query does, until release.
func lockTables(ctx context.Context, db *sql.DB, tables ...string) (release func(), err error) {
	return hold(ctx, db, "BEGIN", "LOCK TABLE "+strings.Join(tables, ", ")+" IN ACCESS EXCLUSIVE MODE")
}

// holdWriter takes SQLite's writer lock from another connection until release.
func holdWriter(ctx context.Context, db *sql.DB) (release func(), err error) {
	return hold(ctx, db, "BEGIN IMMEDIATE")
}

// hold runs statements on one connection of its own and keeps the transaction they open
// until release rolls it back.
func hold(ctx context.Context, db *sql.DB, statements ...string) (func(), error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	release := func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		conn.Close()
	}
	for _, stmt := range statements {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			release()
			return nil, fmt.Errorf("chaos: %s: %w", stmt, err)
		}
	}
	return release, nil
}

// terminate ends every session of a database but chaos's own, as pg_terminate_backend by a
// DBA, a failover or a pooler's restart does. It reports how many it ended.
func terminate(ctx context.Context, admin *sql.DB, database string) (int, error) {
	var n int
	err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2`, database, harness.AppName).Scan(&n)
	return n, err
}

// setReadOnly makes every new transaction in the cluster read-only, or writable again.
func setReadOnly(ctx context.Context, admin *sql.DB, on bool) error {
	stmt := "ALTER SYSTEM RESET default_transaction_read_only"
	if on {
		stmt = "ALTER SYSTEM SET default_transaction_read_only = on"
	}
	if _, err := admin.ExecContext(ctx, stmt); err != nil {
		return err
	}
	_, err := admin.ExecContext(ctx, "SELECT pg_reload_conf()")
	return err
}
