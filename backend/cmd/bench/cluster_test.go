package main

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/internal/pgcluster"
)

// The bench's cluster logs JSON lines the capture reads: a statement another session sends
// between the markers is captured with its parameter, and the bench's own are left out.
func TestClusterCapturesAnotherSessionsStatements(t *testing.T) {
	bin, err := pgcluster.Find()
	if err != nil {
		t.Skip(err)
	}
	// Not t.TempDir: its parents are root's alone, and the cluster's owner must reach its own.
	dir, err := os.MkdirTemp("", "bench-cluster")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx := context.Background()
	c, err := startCluster(ctx, bin, "postgres", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if err := c.createDatabase(ctx, "bench", ""); err != nil {
		t.Fatal(err)
	}
	own, err := c.open("bench")
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	server, err := sql.Open("pgx", c.URL("bench")+"&application_name=advocateloop")
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	if err := c.logStatements(ctx, true); err != nil {
		t.Fatal(err)
	}
	got, err := c.capture(ctx, own, func() error {
		_, err := server.ExecContext(ctx, "SELECT $1::text", "jane")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !strings.Contains(got[0].SQL, "SELECT $1::text") ||
		len(got[0].Params) != 1 || got[0].Params[0].Text != "jane" {
		t.Fatalf("captured %+v, want the one SELECT with its parameter", got)
	}
}
