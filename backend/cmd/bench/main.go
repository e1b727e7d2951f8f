// Command bench measures Record Conversion from outside, the way a practice's Zaps use it, and
// compares the server with PostgreSQL itself doing the same work: it captures the SQL one
// conversion issues from the running server's statement log and replays exactly that with
// pgbench, interleaved with the server's runs. It also measures the realistic mix of payments
// at half of its maximum rate, a storm of duplicate payments, a large practice against an
// empty one, and the embedded SQLite against its own driver. It prints Markdown tables and, as
// its last line, one JSON object. scripts/bench builds the binaries and runs it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

type options struct {
	quick          bool
	bin, work, out string
	pgBin, pgUser  string
	commit         string
}

func main() {
	var o options
	flag.BoolVar(&o.quick, "quick", false, "shorter runs and a scaled-down data set: a few minutes")
	flag.StringVar(&o.bin, "bin", "", "the advocateloop binary (required)")
	flag.StringVar(&o.work, "work", "", "a directory for the cluster and databases (required; removed by the caller)")
	flag.StringVar(&o.out, "out", "", "where the run's files go: captured SQL, pgbench script, EXPLAIN plans (required)")
	flag.StringVar(&o.pgBin, "pg-bin", "", "PostgreSQL's bin directory, with pgbench (required)")
	flag.StringVar(&o.pgUser, "pg-user", "postgres", "who owns the cluster when the bench runs as root")
	flag.StringVar(&o.commit, "commit", "", "the commit under test, for the report")
	flag.Parse()
	if o.bin == "" || o.work == "" || o.out == "" || o.pgBin == "" {
		flag.Usage()
		os.Exit(2)
	}
	for _, p := range []*string{&o.bin, &o.work, &o.out, &o.pgBin} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
		*p = abs
	}
	// The app runs in this process for the SQLite capture; its logs are not the bench's output.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	res.write(os.Stdout)
	line, _ := json.Marshal(res.summary())
	if err := os.WriteFile(filepath.Join(o.out, "summary.json"), line, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
	}
	fmt.Println(string(line))
	if len(res.failed) > 0 {
		os.Exit(1)
	}
}

// bench is what every part of a run shares.
type bench struct {
	opts    options
	plan    plan
	cluster *cluster
	res     *results
}

func run(ctx context.Context, o options) (*results, error) {
	started := time.Now()
	b := &bench{opts: o, plan: makePlan(o.quick), res: newResults(o)}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return nil, err
	}
	var err error
	b.cluster, err = startCluster(ctx, o.pgBin, o.pgUser, filepath.Join(o.work, "pg"))
	if err != nil {
		return nil, err
	}
	defer b.cluster.Close()
	b.res.machine = describeMachine(ctx, b.cluster)
	parts := []struct {
		name string
		run  func(context.Context) error
	}{
		{"matched conversions against pgbench, the mix, the storm", b.postgresPart},
		{"the large data set", b.largePart},
		{"the embedded SQLite against its driver", b.sqlitePart},
	}
	for _, p := range parts {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		t0 := time.Now()
		progress("== %s", p.name)
		// Every part ends in bounded time, whatever hangs.
		pctx, cancel := context.WithTimeout(ctx, b.plan.partLimit)
		err := p.run(pctx)
		cancel()
		if err != nil {
			b.res.failed = append(b.res.failed, fmt.Sprintf("%s: %v", p.name, err))
			progress("!! %s failed: %v", p.name, err)
		}
		progress("== %s: %s", p.name, since(t0))
	}
	b.res.elapsed = time.Since(started)
	return b.res, nil
}

// progress tells the operator what the bench is doing, on stderr: stdout is the report.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s bench: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// writeFile puts one of the run's files in the output directory.
func (b *bench) writeFile(name, content string) {
	if err := os.WriteFile(filepath.Join(b.opts.out, name), []byte(content), 0o644); err != nil {
		progress("could not write %s: %v", name, err)
	}
}
