package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
	"github.com/advocateloop/advocateloop/backend/internal/pgcluster"
)

// cluster is the run's own PostgreSQL: scripts/test's settings (UTF-8, no locale, loopback,
// 300 connections) but durable, as production runs it: fsync, synchronous_commit and
// full_page_writes at their defaults (on), since a commit that waits for the disk is the limit
// being measured. Its log is JSON lines (jsonlog), which the SQL capture reads.
type cluster struct {
	*pgcluster.Cluster
}

// startCluster makes a cluster in dir, owned by owner when the bench runs as root (PostgreSQL
// refuses root), and starts it on a free loopback port.
func startCluster(ctx context.Context, bin, owner, dir string) (*cluster, error) {
	logDir := filepath.Join(dir, "log")
	c, err := pgcluster.Start(ctx, pgcluster.Config{Bin: bin, Owner: owner, Dir: dir, Dirs: []string{"log"},
		Settings: []string{
			"max_connections=300",
			"logging_collector=on", "log_destination=jsonlog", "log_directory=" + logDir,
			"log_filename=postgresql.log", "log_rotation_age=0", "log_rotation_size=0",
		}})
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	return &cluster{c}, nil
}

// logFile is where jsonlog writes: the log_filename with .json for .log.
func (c *cluster) logFile() string { return filepath.Join(c.Dir, "log", "postgresql.json") }

// open is a pool of the bench's own on a database. Its sessions are named, so that the SQL
// capture can tell them from the server's.
func (c *cluster) open(database string) (*sql.DB, error) {
	db, err := sql.Open("pgx", c.URL(database)+"&application_name="+benchApp)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

const benchApp = "advocateloop-bench"

// createDatabase makes a database, empty or as a copy of template (which nobody may be
// connected to).
func (c *cluster) createDatabase(ctx context.Context, name, template string) error {
	admin, err := c.open("postgres")
	if err != nil {
		return err
	}
	defer admin.Close()
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	if _, err := admin.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("bench: %s: %w", stmt, err)
	}
	return nil
}

// logStatements turns log_statement=all on or off for the whole cluster (ALTER SYSTEM and a
// reload). Every backend reads the new setting before its next command; the moment waited
// here is plenty for idle ones.
func (c *cluster) logStatements(ctx context.Context, on bool) error {
	admin, err := c.open("postgres")
	if err != nil {
		return err
	}
	defer admin.Close()
	value := "none"
	if on {
		value = "all"
	}
	if _, err := admin.ExecContext(ctx, "ALTER SYSTEM SET log_statement = '"+value+"'"); err != nil {
		return fmt.Errorf("bench: log_statement = %s: %w", value, err)
	}
	if _, err := admin.ExecContext(ctx, "SELECT pg_reload_conf()"); err != nil {
		return err
	}
	time.Sleep(300 * time.Millisecond)
	return nil
}

// capture runs fn and returns the statements the server's sessions sent meanwhile, in order,
// with their parameters. The bench's own session brackets fn with marker queries, so the
// log's other traffic before and after is left out.
func (c *cluster) capture(ctx context.Context, db *sql.DB, fn func() error) ([]sqlreplay.Statement, error) {
	nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
	start, end := "bench-capture-start-"+nonce, "bench-capture-end-"+nonce
	if _, err := db.ExecContext(ctx, "SELECT '"+start+"'"); err != nil {
		return nil, err
	}
	if err := fn(); err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, "SELECT '"+end+"'"); err != nil {
		return nil, err
	}
	return c.loggedBetween(ctx, start, end)
}

// loggedBetween reads the log until the end marker is in it (the logger writes a moment
// later) and returns the statements of other sessions between the markers.
func (c *cluster) loggedBetween(ctx context.Context, start, end string) ([]sqlreplay.Statement, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		f, err := os.Open(c.logFile())
		if err != nil {
			return nil, err
		}
		entries, err := sqlreplay.ReadLog(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		var out []sqlreplay.Statement
		inside := false
		for _, e := range entries {
			switch {
			case strings.Contains(e.Message, start):
				inside = true
			case strings.Contains(e.Message, end):
				return out, nil
			case inside && e.App != benchApp:
				s, ok, err := sqlreplay.LoggedStatement(e)
				if err != nil {
					return nil, err
				}
				if ok {
					out = append(out, s)
				}
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("bench: the end of the capture never reached %s", c.logFile())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
