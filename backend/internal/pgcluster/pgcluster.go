// Package pgcluster starts a throwaway PostgreSQL cluster on a loopback port, as the bench and
// chaos commands each need one of their own. PostgreSQL refuses to run as root, so when the
// caller is root the cluster belongs to an unprivileged owner and its programs run as that user.
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config says where a cluster lives and how its server runs.
type Config struct {
	Bin      string   // PostgreSQL's bin directory (Find)
	Owner    string   // who runs PostgreSQL when the caller is root
	Dir      string   // the cluster's directory (data, socket, server.log); the caller removes it
	Settings []string // server settings, name=value, beyond the port and loopback listening
	Dirs     []string // more directories under Dir the server writes to, such as a log_directory
	NoSync   bool     // initdb without waiting for the disk, for a cluster whose durability is not measured
}

// Cluster is a started cluster; Port is where it listens on 127.0.0.1.
type Cluster struct {
	Config
	Port    int
	running bool
}

// Find is the newest PostgreSQL bin directory: Debian's versioned layout, else wherever initdb
// is on PATH.
func Find() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(a) - version(b) })
	for _, dir := range slices.Backward(dirs) {
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	if path, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(path), nil
	}
	return "", errors.New("pgcluster: PostgreSQL not found")
}

func version(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

// Start makes a cluster in cfg.Dir and starts it on a free loopback port.
func Start(ctx context.Context, cfg Config) (*Cluster, error) {
	c := &Cluster{Config: cfg}
	for _, d := range append([]string{"", "sock"}, cfg.Dirs...) {
		d = filepath.Join(cfg.Dir, d)
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
		if os.Geteuid() == 0 {
			if err := chown(d, cfg.Owner); err != nil {
				return nil, err
			}
		}
	}
	args := []string{"-D", c.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"}
	if cfg.NoSync {
		args = append(args, "--no-sync")
	}
	if out, err := c.run(ctx, "initdb", args...); err != nil {
		return nil, fmt.Errorf("pgcluster: initdb: %v\n%s", err, out)
	}
	var err error
	for range 5 { // a port can be taken between the check and the bind
		c.Port = FreePort()
		if err = c.Start(ctx); err == nil {
			return c, nil
		}
	}
	return nil, err
}

func chown(path, owner string) error {
	u, err := user.Lookup(owner)
	if err != nil {
		return fmt.Errorf("pgcluster: the cluster's owner: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(path, uid, gid)
}

func (c *Cluster) data() string { return filepath.Join(c.Dir, "data") }
func (c *Cluster) log() string  { return filepath.Join(c.Dir, "server.log") }

// run runs one of PostgreSQL's programs as the cluster's owner, from the cluster's directory
// so that it never inherits a working directory it cannot read.
func (c *Cluster) run(ctx context.Context, program string, args ...string) ([]byte, error) {
	name, argv := filepath.Join(c.Bin, program), args
	if os.Geteuid() == 0 {
		name, argv = "runuser", append([]string{"-u", c.Owner, "--", name}, args...)
	}
	cmd := exec.CommandContext(ctx, name, argv...)
	cmd.Dir = c.Dir
	return cmd.CombinedOutput()
}

// Start starts the cluster (again) on its port and returns once it takes TCP connections.
func (c *Cluster) Start(ctx context.Context) error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", c.Port, filepath.Join(c.Dir, "sock"))
	for _, s := range c.Settings {
		opts += " -c " + s
	}
	out, err := c.run(ctx, "pg_ctl", "start", "-D", c.data(), "-l", c.log(), "-w", "-t", "60", "-s", "-o", opts)
	if err != nil {
		log, _ := os.ReadFile(c.log())
		return fmt.Errorf("pgcluster: pg_ctl start: %v\n%s%s", err, out, lastLines(string(log), 10))
	}
	c.running = true
	for range 100 { // pg_ctl waits for the pid file; clients need the TCP listener
		if conn, err := net.DialTimeout("tcp", c.Addr(), time.Second); err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("pgcluster: PostgreSQL is not listening on %s", c.Addr())
}

// Kill stops the cluster the hard way, as a crash does: every connection drops mid-query.
func (c *Cluster) Kill(ctx context.Context) error { return c.stop(ctx, "immediate") }

// Close stops the cluster cleanly if it runs; its directory is the caller's to remove.
func (c *Cluster) Close() {
	if c.running {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = c.stop(ctx, "fast")
	}
}

func (c *Cluster) stop(ctx context.Context, mode string) error {
	out, err := c.run(ctx, "pg_ctl", "stop", "-D", c.data(), "-m", mode, "-s")
	if err != nil {
		return fmt.Errorf("pgcluster: pg_ctl stop -m %s: %v\n%s", mode, err, out)
	}
	c.running = false
	return nil
}

// Addr is the cluster's host:port.
func (c *Cluster) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port)) }

// URL is a database's connection URL, as the postgres superuser.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable", c.Addr(), database)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
