package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
)

// pgbench runs a captured request's script against a database of its own (a copy of the
// server's, so the server's background workers never see pgbench's rows).
type pgbench struct {
	bin      string // the pgbench program
	cluster  *cluster
	database string
	script   string // the script file
	defines  []string
}

func newPGBench(pgBin string, c *cluster, database, dir string, s sqlreplay.Script) (*pgbench, error) {
	path := filepath.Join(dir, "pgbench-matched.sql")
	if err := os.WriteFile(path, []byte(s.Text), 0o644); err != nil {
		return nil, err
	}
	return &pgbench{bin: filepath.Join(pgBin, "pgbench"), cluster: c, database: database, script: path, defines: s.Defines}, nil
}

// command is the pgbench command line for clients clients for d, on seeded rows from base.
func (p *pgbench) command(clients int, d time.Duration, base int64) []string {
	args := []string{"-h", "127.0.0.1", "-p", strconv.Itoa(p.cluster.Port), "-U", "postgres",
		"-n", "-M", "prepared", "-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, runtime.NumCPU())),
		"-T", strconv.Itoa(int(d.Seconds())), "-f", p.script,
		"-D", "base=" + strconv.FormatInt(base, 10), "-D", "clients=" + strconv.Itoa(clients), "-D", "seq=0"}
	for _, d := range p.defines {
		args = append(args, "-D", d)
	}
	return append(args, p.database)
}

var (
	tpsLine       = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
	processedLine = regexp.MustCompile(`number of transactions actually processed: ([0-9]+)`)
	failedLine    = regexp.MustCompile(`number of failed transactions: ([0-9]+)`)
)

// pgbenchRun is one run's result.
type pgbenchRun struct {
	tps       float64
	processed int64
}

// run runs pgbench; a client that aborts (an error in the script, such as running out of
// seeded rows) fails the run.
func (p *pgbench) run(ctx context.Context, clients int, d time.Duration, base int64) (pgbenchRun, error) {
	ctx, cancel := context.WithTimeout(ctx, d+2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.bin, p.command(clients, d, base)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	text := string(out)
	if err != nil || strings.Contains(stderr.String(), "aborted") {
		return pgbenchRun{}, fmt.Errorf("bench: pgbench: %v\n%s%s", err, lastLines(stderr.String(), 8), lastLines(text, 4))
	}
	tps, processed, failed := tpsLine.FindStringSubmatch(text), processedLine.FindStringSubmatch(text), failedLine.FindStringSubmatch(text)
	if tps == nil || processed == nil {
		return pgbenchRun{}, fmt.Errorf("bench: pgbench printed no tps:\n%s", text)
	}
	if failed != nil && failed[1] != "0" {
		return pgbenchRun{}, fmt.Errorf("bench: pgbench: %s transactions failed\n%s", failed[1], lastLines(stderr.String(), 8))
	}
	var r pgbenchRun
	r.tps, _ = strconv.ParseFloat(tps[1], 64)
	r.processed, _ = strconv.ParseInt(processed[1], 10, 64)
	return r, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n") + "\n"
}
