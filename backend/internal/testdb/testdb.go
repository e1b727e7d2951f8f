// Package testdb gives each test a brand-new, empty database of its own, so tests of other
// packages can run in parallel against the same engines production uses.
//
// Which engine is chosen by the environment: with ADVOCATELOOP_TEST_POSTGRES set to an admin URL
// (scripts/test starts a throwaway cluster and sets it), each test gets its own PostgreSQL
// database; otherwise it gets a SQLite file in the test's temp dir.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvPostgres names the variable holding the PostgreSQL admin URL tests create databases with.
const EnvPostgres = "ADVOCATELOOP_TEST_POSTGRES"

// Postgres reports whether tests run against PostgreSQL rather than SQLite.
func Postgres() bool { return os.Getenv(EnvPostgres) != "" }

// Kind is "postgres" or "sqlite", for tests to label themselves.
func Kind() string {
	if Postgres() {
		return "postgres"
	}
	return "sqlite"
}

// URL returns a DATABASE_URL for an empty database dedicated to tb and removed when tb ends:
// postgres://… for PostgreSQL, sqlite://PATH for SQLite.
func URL(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		return "sqlite://" + filepath.Join(tb.TempDir(), "advocateloop.db")
	}
	return createPostgres(tb, admin)
}

func createPostgres(tb testing.TB, admin string) string {
	tb.Helper()
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("testdb: %s must be a postgres:// URL, got %q", EnvPostgres, admin)
	}

	// Hex keeps the name a valid unquoted identifier, so it can go straight into the statement.
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "t_" + hex.EncodeToString(b)

	// template0 is never connected to, so concurrent creates cannot trip over a busy template1.
	if err := adminExec(admin, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		tb.Fatalf("testdb: cannot create database %s on %s: %v", name, u.Redacted(), err)
	}
	tb.Cleanup(func() {
		// FORCE ends connections a test left open, which would otherwise block the drop.
		if err := adminExec(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("testdb: cannot drop database %s on %s: %v", name, u.Redacted(), err)
		}
	})

	u.Scheme = "postgres"
	u.Path = "/" + name
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// adminExec runs one statement on a short-lived admin connection; CREATE and DROP DATABASE
// cannot run inside a transaction, and a pool would outlive the test that needed it.
func adminExec(admin, stmt string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, stmt)
	return err
}
