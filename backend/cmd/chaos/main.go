// Command chaos runs the real AdvocateLoop server through faults (a database killed, locked,
// read-only or out of disk; servers killed; hostile, slow and flooding clients; failing hook
// receivers; two servers racing) with clients that retry as Zapier does, then reads the
// database to prove that nothing acknowledged was lost, nothing rewarded twice and no practice
// saw another's data. It prints a Markdown table and one JSON line, and exits 1 when any count
// is not zero. scripts/chaos builds the binaries and runs it; `-short` is the form scripts/test
// runs.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
	"github.com/advocateloop/advocateloop/backend/internal/pgcluster"
)

// scenario is one fault and what it must not break.
type scenario struct {
	name string
	run  func(ctx context.Context, e *env, t *harness.Tally) error
}

var scenarios = []scenario{
	{"postgres-killed", postgresKilled},
	{"server-killed", serverKilled},
	{"table-locked", tableLocked},
	{"read-only", readOnly},
	{"sqlite-busy-and-full", sqliteTrouble},
	{"two-practices", twoPractices},
	{"hostile-input", hostileInput},
	{"slow-clients", slowClients},
	{"floods", floods},
	{"hook-receivers", hookReceivers},
	{"two-servers", twoServers},
}

func main() {
	short := flag.Bool("short", false, "every scenario, smaller and quicker: the form scripts/test runs")
	bin := flag.String("bin", "", "the advocateloop binary to run (required)")
	work := flag.String("work", "", "a directory for databases and mounts (required; removed by the caller)")
	pgBin := flag.String("pg-bin", "", "PostgreSQL's bin directory (default: the newest installed)")
	pgUser := flag.String("pg-user", "postgres", "who owns the PostgreSQL cluster when chaos runs as root")
	commit := flag.String("commit", "", "the commit under test, for the report's heading")
	only := flag.String("only", "", "comma-separated scenarios to run (default: all): "+names())
	flag.StringVar(&diskFull, "disk-full", "auto", "how SQLite's disk is filled: tmpfs (a small mount), fsize (RLIMIT_FSIZE on the server) or auto")
	flag.Parse()
	if *bin == "" || *work == "" {
		flag.Usage()
		os.Exit(2)
	}
	// PostgreSQL's programs run from the cluster's own directory: every path must be absolute.
	for _, path := range []*string{bin, work} {
		abs, err := filepath.Abs(*path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "chaos:", err)
			os.Exit(2)
		}
		*path = abs
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	totals, err := run(ctx, *short, *bin, *work, *pgBin, *pgUser, *only, *commit)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		os.Exit(2)
	}
	if totals.Failed() {
		os.Exit(1)
	}
}

func run(ctx context.Context, short bool, bin, work, pgBin, pgUser, only, commit string) (harness.Totals, error) {
	chosen := scenarios
	if only != "" {
		chosen = nil
		for _, s := range scenarios {
			if slices.Contains(strings.Split(only, ","), s.name) {
				chosen = append(chosen, s)
			}
		}
		if len(chosen) == 0 {
			return harness.Totals{}, fmt.Errorf("no scenario named %q; there are %s", only, names())
		}
	}
	if pgBin == "" {
		var err error
		if pgBin, err = pgcluster.Find(); err != nil {
			return harness.Totals{}, fmt.Errorf("chaos: %w (scripts/chaos installs it)", err)
		}
	}
	started := time.Now()
	cluster, err := harness.StartCluster(ctx, pgBin, pgUser, filepath.Join(work, "pg"))
	if err != nil {
		return harness.Totals{}, err
	}
	defer cluster.Close()
	e := &env{short: short, bin: bin, work: work, cluster: cluster}

	var runs []harness.Summary
	for _, s := range chosen {
		if ctx.Err() != nil {
			return harness.Totals{}, ctx.Err()
		}
		fmt.Fprintf(os.Stderr, "chaos: %s ...", s.name)
		t0 := time.Now()
		t := harness.NewTally(s.name)
		sctx, cancel := context.WithTimeout(ctx, e.span(90*time.Second, 10*time.Minute))
		if err := s.run(sctx, e, t); err != nil {
			t.Fail("the scenario could not run: %v", err)
		}
		cancel()
		sum := t.Summary()
		fmt.Fprintf(os.Stderr, " %.1fs, %d requests, %d failed checks\n", time.Since(t0).Seconds(), sum.Requests, sum.FailedChecks)
		runs = append(runs, sum)
	}
	form := "full"
	if short {
		form = "short"
	}
	fmt.Printf("Chaos, %s form, commit %s, %s, %.0f s\n\n", form, cmp.Or(commit, "unknown"),
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), time.Since(started).Seconds())
	return harness.Report(os.Stdout, runs), nil
}

func names() string {
	var n []string
	for _, s := range scenarios {
		n = append(n, s.name)
	}
	return strings.Join(n, ", ")
}
