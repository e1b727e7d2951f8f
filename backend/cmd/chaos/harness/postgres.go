package harness

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/advocateloop/advocateloop/backend/internal/pgcluster"
)

// Cluster is chaos's throwaway PostgreSQL cluster, which scenarios kill, restart and make
// read-only.
type Cluster struct {
	*pgcluster.Cluster
}

// StartCluster makes a cluster in dir, owned by owner when chaos runs as root, and starts it.
// fsync is off, which a kill of PostgreSQL alone cannot punish (the machine's page cache
// survives it); synchronous_commit stays on, or an immediate stop would lose commits
// PostgreSQL had acknowledged, and chaos would blame the server for them.
func StartCluster(ctx context.Context, bin, owner, dir string) (*Cluster, error) {
	c, err := pgcluster.Start(ctx, pgcluster.Config{Bin: bin, Owner: owner, Dir: dir, NoSync: true,
		Settings: []string{"fsync=off", "max_connections=300"}})
	if err != nil {
		return nil, fmt.Errorf("chaos: %w", err)
	}
	return &Cluster{c}, nil
}

// CreateDatabase makes a fresh database and returns its URL.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	db, err := c.Admin()
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("chaos: create database %s: %w", name, err)
	}
	return c.URL(name), nil
}

// Admin is a connection pool to the maintenance database whose sessions are never read-only,
// whatever the cluster's default becomes.
func (c *Cluster) Admin() (*sql.DB, error) {
	return OpenPostgres(c.URL("postgres") + "&default_transaction_read_only=off")
}

// OpenPostgres opens a PostgreSQL pool of chaos's own, to fault and to audit the database. Its
// sessions are named "chaos", so that terminating the server's sessions spares them.
func OpenPostgres(url string) (*sql.DB, error) {
	db, err := sql.Open("pgx", url+"&application_name="+AppName)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

// AppName names chaos's own PostgreSQL sessions.
const AppName = "chaos"
