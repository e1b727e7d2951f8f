package pgcluster_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/advocateloop/advocateloop/backend/internal/pgcluster"
)

// A cluster starts with its settings, takes connections, survives a kill and a restart on the
// same port, and stops.
func TestClusterStartsKillsAndStartsAgain(t *testing.T) {
	bin, err := pgcluster.Find()
	if err != nil {
		t.Skip(err)
	}
	// Not t.TempDir: its parents are root's alone, and the cluster's owner must reach its own.
	dir, err := os.MkdirTemp("", "pgcluster")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx := context.Background()
	c, err := pgcluster.Start(ctx, pgcluster.Config{Bin: bin, Owner: "postgres", Dir: dir, NoSync: true,
		Settings: []string{"fsync=off", "max_connections=42"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if c.Port <= 0 || c.Port >= 32768 {
		t.Fatalf("port %d, want one below the ephemeral range", c.Port)
	}
	if got := show(t, c, "max_connections"); got != "42" {
		t.Fatalf("max_connections = %s, want the setting given, 42", got)
	}
	if err := c.Kill(ctx); err != nil {
		t.Fatal(err)
	}
	if db, err := sql.Open("pgx", c.URL("postgres")); err == nil {
		if err := db.PingContext(ctx); err == nil {
			t.Fatal("the killed cluster still takes connections")
		}
		db.Close()
	}
	if err := c.Start(ctx); err != nil {
		t.Fatalf("start again: %v", err)
	}
	if got := show(t, c, "fsync"); got != "off" {
		t.Fatalf("after a restart fsync = %s, want the setting given, off", got)
	}
}

func show(t *testing.T, c *pgcluster.Cluster, name string) string {
	t.Helper()
	db, err := sql.Open("pgx", c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(context.Background(), "SHOW "+name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
