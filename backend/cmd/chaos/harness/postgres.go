package harness

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// Cluster is a throwaway PostgreSQL cluster on a loopback port. PostgreSQL refuses to run as
// root, so when chaos runs as root the cluster belongs to an unprivileged user.
type Cluster struct {
	bin, owner, dir string
	Port            int
	running         bool
}

// FindPostgres is the newest PostgreSQL bin directory: Debian's versioned layout, else
// wherever initdb is on PATH.
func FindPostgres() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) < version(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i], nil
		}
	}
	if path, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(path), nil
	}
	return "", errors.New("chaos: PostgreSQL not found (scripts/chaos installs it)")
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// StartCluster makes a cluster in dir, owned by owner when chaos runs as root, and starts it.
func StartCluster(ctx context.Context, bin, owner, dir string) (*Cluster, error) {
	c := &Cluster{bin: bin, owner: owner, dir: dir}
	if err := os.MkdirAll(filepath.Join(dir, "sock"), 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup(owner)
		if err != nil {
			return nil, fmt.Errorf("chaos: the cluster's owner: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, d := range []string{dir, filepath.Join(dir, "sock")} {
			if err := os.Chown(d, uid, gid); err != nil {
				return nil, err
			}
		}
	}
	if out, err := c.run(ctx, "initdb", "-D", c.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
		"--no-locale", "--no-sync"); err != nil {
		return nil, fmt.Errorf("chaos: initdb: %v\n%s", err, out)
	}
	var err error
	for range 5 { // a port can be taken between the check and the bind
		c.Port = freePort()
		if err = c.Start(ctx); err == nil {
			return c, nil
		}
	}
	return nil, err
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// run runs one of PostgreSQL's programs as the cluster's owner, from the cluster's directory
// so that it never inherits a working directory it cannot read.
func (c *Cluster) run(ctx context.Context, program string, args ...string) ([]byte, error) {
	name, argv := filepath.Join(c.bin, program), args
	if os.Geteuid() == 0 {
		name, argv = "runuser", append([]string{"-u", c.owner, "--", name}, args...)
	}
	cmd := exec.CommandContext(ctx, name, argv...)
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

// Start starts the cluster (again) on its port. fsync is off, which a kill of PostgreSQL alone
// cannot punish (the machine's page cache survives it); synchronous_commit stays on, or an
// immediate stop would lose commits PostgreSQL had acknowledged, and chaos would blame the
// server for them.
func (c *Cluster) Start(ctx context.Context) error {
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c max_connections=300",
		c.Port, filepath.Join(c.dir, "sock"))
	out, err := c.run(ctx, "pg_ctl", "start", "-D", c.data(), "-l", filepath.Join(c.dir, "server.log"),
		"-w", "-t", "60", "-s", "-o", opts)
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
		return fmt.Errorf("chaos: pg_ctl start: %v\n%s%s", err, out, lastLines(string(log), 10))
	}
	c.running = true
	// pg_ctl waits for the pid file; clients need the TCP listener.
	for range 100 {
		if conn, err := net.DialTimeout("tcp", c.addr(), time.Second); err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("chaos: PostgreSQL is not listening on %s", c.addr())
}

// Kill stops the cluster the hard way, as a crash does: every connection drops mid-query.
func (c *Cluster) Kill(ctx context.Context) error {
	out, err := c.run(ctx, "pg_ctl", "stop", "-D", c.data(), "-m", "immediate", "-s")
	if err != nil {
		return fmt.Errorf("chaos: pg_ctl stop: %v\n%s", err, out)
	}
	c.running = false
	return nil
}

// Close stops the cluster if it runs; its directory is the caller's to remove.
func (c *Cluster) Close() {
	if c.running {
		_ = c.Kill(context.Background())
	}
}

func (c *Cluster) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)) }

// URL is a database's connection URL.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable", c.addr(), database)
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

// freePort is a loopback port nothing listens on now.
func freePort() int {
	for {
		port := 20000 + rand.IntN(30000)
		if conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 200*time.Millisecond); err == nil {
			conn.Close()
			continue
		}
		return port
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
