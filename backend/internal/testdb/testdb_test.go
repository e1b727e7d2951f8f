package testdb_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
)

func TestURLGivesEachTestItsOwnDatabase(t *testing.T) {
	t.Logf("database: %s", testdb.Kind())
	first, second := testdb.URL(t), testdb.URL(t)
	if first == second {
		t.Fatalf("two calls returned the same database %q", first)
	}

	if !testdb.Postgres() {
		for _, u := range []string{first, second} {
			path, ok := strings.CutPrefix(u, "sqlite://")
			if !ok {
				t.Fatalf("URL = %q, want a sqlite:// URL", u)
			}
			if _, err := os.Stat(filepath.Dir(path)); err != nil {
				t.Fatalf("directory of %s: %v", path, err)
			}
		}
		return
	}

	ctx := context.Background()
	if !strings.HasPrefix(first, "postgres://") {
		t.Fatalf("URL = %q, want a postgres:// URL", first)
	}
	conn, err := pgx.Connect(ctx, first)
	if err != nil {
		t.Fatalf("connect to %s: %v", first, err)
	}
	defer conn.Close(ctx)

	var tables int
	if err := conn.QueryRow(ctx,
		"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("new database has %d tables, want none", tables)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE advocates (id bigint PRIMARY KEY)"); err != nil {
		t.Fatalf("database is not writable: %v", err)
	}
}

func TestPostgresDatabaseIsDroppedWhenTheTestEnds(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("SQLite files go away with the test's temp dir")
	}
	var dbURL string
	var leftOpen *pgx.Conn
	t.Run("owner", func(t *testing.T) {
		dbURL = testdb.URL(t)
		var err error
		// A connection still open when the test ends must not stop the drop.
		if leftOpen, err = pgx.Connect(context.Background(), dbURL); err != nil {
			t.Fatal(err)
		}
	})
	if leftOpen != nil {
		defer leftOpen.Close(context.Background())
	}

	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, os.Getenv(testdb.EnvPostgres))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var exists bool
	if err := admin.QueryRow(ctx,
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Fatalf("database %s still exists after its test ended", name)
	}
}

// Packages run their tests in parallel; creating databases at once must not trip over each other.
func TestURLInParallelTests(t *testing.T) {
	for i := range 8 {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			if u := testdb.URL(t); u == "" {
				t.Fatal("empty URL")
			}
		})
	}
}
