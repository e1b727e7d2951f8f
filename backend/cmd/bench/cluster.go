package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
)

// cluster is the run's own PostgreSQL: scripts/test's settings (UTF-8, no locale, loopback,
// 300 connections) but durable, as production runs it: fsync, synchronous_commit and
// full_page_writes at their defaults (on), since a commit that waits for the disk is the limit
// being measured. Its log is JSON lines (jsonlog), which the SQL capture reads.
type cluster struct {
	bin, owner, dir string
	port            int
	running         bool
}

// settings are the server options beyond the defaults, for the report too.
func (c *cluster) settings() []string {
	return []string{
		"listen_addresses=127.0.0.1", "max_connections=300",
		"logging_collector=on", "log_destination=jsonlog", "log_directory=" + c.logDir(),
		"log_filename=postgresql.log", "log_rotation_age=0", "log_rotation_size=0",
	}
}

func (c *cluster) logDir() string { return filepath.Join(c.dir, "log") }

// logFile is where jsonlog writes: the log_filename with .json for .log.
func (c *cluster) logFile() string { return filepath.Join(c.logDir(), "postgresql.json") }

// startCluster makes a cluster in dir, owned by owner when the bench runs as root (PostgreSQL
// refuses root), and starts it on a free loopback port.
func startCluster(ctx context.Context, bin, owner, dir string) (*cluster, error) {
	c := &cluster{bin: bin, owner: owner, dir: dir}
	for _, d := range []string{dir, filepath.Join(dir, "sock"), c.logDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
		if os.Geteuid() == 0 {
			if err := chown(d, owner); err != nil {
				return nil, err
			}
		}
	}
	if out, err := c.run(ctx, "initdb", "-D", c.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
		"--no-locale"); err != nil {
		return nil, fmt.Errorf("bench: initdb: %v\n%s", err, out)
	}
	var err error
	for range 5 { // a port can be taken between the check and the bind
		c.port = freePort()
		if err = c.start(ctx); err == nil {
			return c, nil
		}
	}
	return nil, err
}

func chown(path, owner string) error {
	u, err := user.Lookup(owner)
	if err != nil {
		return fmt.Errorf("bench: the cluster's owner: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(path, uid, gid)
}

func (c *cluster) data() string { return filepath.Join(c.dir, "data") }

// run runs one of PostgreSQL's programs as the cluster's owner, from the cluster's directory.
func (c *cluster) run(ctx context.Context, program string, args ...string) ([]byte, error) {
	name, argv := filepath.Join(c.bin, program), args
	if os.Geteuid() == 0 {
		name, argv = "runuser", append([]string{"-u", c.owner, "--", name}, args...)
	}
	cmd := exec.CommandContext(ctx, name, argv...)
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

func (c *cluster) start(ctx context.Context) error {
	opts := fmt.Sprintf("-p %d -k %s", c.port, filepath.Join(c.dir, "sock"))
	for _, s := range c.settings() {
		opts += " -c " + s
	}
	out, err := c.run(ctx, "pg_ctl", "start", "-D", c.data(), "-l", filepath.Join(c.dir, "startup.log"),
		"-w", "-t", "60", "-s", "-o", opts)
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "startup.log"))
		return fmt.Errorf("bench: pg_ctl start: %v\n%s%s", err, out, log)
	}
	c.running = true
	for range 100 { // pg_ctl waits for the pid file; clients need the TCP listener
		if conn, err := net.DialTimeout("tcp", c.addr(), time.Second); err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("bench: PostgreSQL is not listening on %s", c.addr())
}

// close stops the cluster if it runs; its directory is the caller's to remove.
func (c *cluster) close() {
	if c.running {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = c.run(ctx, "pg_ctl", "stop", "-D", c.data(), "-m", "fast", "-s")
		c.running = false
	}
}

func (c *cluster) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)) }

// url is a database's connection URL; the server gets it as DATABASE_URL.
func (c *cluster) url(database string) string {
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable", c.addr(), database)
}

// open is a pool of the bench's own on a database. Its sessions are named, so that the SQL
// capture can tell them from the server's.
func (c *cluster) open(database string) (*sql.DB, error) {
	db, err := sql.Open("pgx", c.url(database)+"&application_name="+benchApp)
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

// freePort is a loopback port below 32768 (above, ephemeral ports collide) nothing listens on
// now; after many taken ones, the last tried (starting on it will fail, and say so).
func freePort() int {
	port := 0
	for range 200 {
		port = 20000 + rand.IntN(12000)
		conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 200*time.Millisecond)
		if err != nil {
			return port
		}
		conn.Close()
	}
	return port
}
