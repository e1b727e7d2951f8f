package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/load"
	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
)

// pair is the rates of the runs of one comparison at one concurrency: the server's, and its
// reference's (pgbench's transactions, or the SQLite driver's replays).
type pair struct {
	server, pgbench []float64
	p50, p99        []float64 // the server's closed-loop latency, ms
}

func (p *pair) ratio() float64 {
	ref := load.Median(p.pgbench)
	if ref == 0 {
		return 0
	}
	return load.Median(p.server) / ref
}

// results is everything a run measured.
type results struct {
	opts          options
	quick         bool
	machine       machine
	elapsed       time.Duration
	counts        map[string]sqlreplay.Counts // "PostgreSQL matched", …
	kept          map[string]int              // values kept as captured (times, numbers), by capture
	matched       map[int]*pair
	sqlite        map[int]*pair
	mix           *mixResult
	storm         *stormResult
	large         *largeResult
	rss           map[string]float64
	allocs        float64
	copiedColumns map[string][]string
	notes         []string // what could not be replayed faithfully, and the like
	failed        []string // parts that did not finish
}

func newResults(o options) *results {
	return &results{opts: o, quick: o.quick, counts: map[string]sqlreplay.Counts{}, kept: map[string]int{},
		matched: map[int]*pair{}, sqlite: map[int]*pair{}, rss: map[string]float64{}, allocs: math.NaN()}
}

func (r *results) pairAt(c int) *pair {
	if r.matched[c] == nil {
		r.matched[c] = &pair{}
	}
	return r.matched[c]
}

func (r *results) sqliteAt(c int) *pair {
	if r.sqlite[c] == nil {
		r.sqlite[c] = &pair{}
	}
	return r.sqlite[c]
}

func (r *results) matchedLatency(c int, s load.Stats) {
	p := r.pairAt(c)
	p.p50 = append(p.p50, load.Ms(s.Percentile(50)))
	p.p99 = append(p.p99, load.Ms(s.Percentile(99)))
}

// captured keeps what the captures of one engine say.
func (r *results) captured(engine string, caps ...*captured) {
	for _, c := range caps {
		r.counts[engine+" "+c.kind] = c.tpl.Counts()
		r.kept[engine+" "+c.kind] = c.tpl.Kept
		for _, n := range c.tpl.Notes {
			r.notes = append(r.notes, fmt.Sprintf("%s %s request, not replayed faithfully: %s", engine, c.kind, n))
		}
	}
}

// ratioAt is the server/reference ratio at c, NaN when not measured.
func ratioAt(byC map[int]*pair, c int) float64 {
	if p := byC[c]; p != nil && len(p.server) > 0 && len(p.pgbench) > 0 {
		return p.ratio()
	}
	return math.NaN()
}

// summary is the final JSON line. Figures not measured are null.
func (r *results) summary() map[string]any {
	s := map[string]any{"quick": r.quick, "commit": r.opts.commit, "failed_parts": len(r.failed),
		"replay_faithful": len(r.notes) == 0, "elapsed_s": round(r.elapsed.Seconds())}
	c1, c8, c32 := ratioAt(r.matched, 1), ratioAt(r.matched, 8), ratioAt(r.matched, 32)
	s["ratio_vs_pgbench"], s["ratio_vs_pgbench_c1"], s["ratio_vs_pgbench_c8"], s["ratio_vs_pgbench_c32"] =
		num(math.Min(c1, c8)), num(c1), num(c8), num(c32)
	if c, ok := r.counts["PostgreSQL matched"]; ok {
		s["statements_per_conversion"], s["transactions_per_conversion"], s["round_trips_per_conversion"] =
			c.Statements, c.Transactions, c.RoundTrips
	} else {
		s["statements_per_conversion"], s["transactions_per_conversion"], s["round_trips_per_conversion"] = nil, nil, nil
	}
	s["statements_per_unmatched_payer"] = nil
	if c, ok := r.counts["PostgreSQL unmatched"]; ok {
		s["statements_per_unmatched_payer"] = c.Statements
	}
	s["p99_ms_at_half_load_mix"], s["p50_ms_at_half_load_mix"], s["max_rps"] = nil, nil, nil
	if r.mix != nil {
		s["p99_ms_at_half_load_mix"], s["p50_ms_at_half_load_mix"], s["max_rps"] = num(r.mix.p99), num(r.mix.p50), num(r.mix.maxRate)
	}
	rss := math.NaN()
	for _, v := range r.rss {
		if math.IsNaN(rss) || v > rss {
			rss = v
		}
	}
	s["server_rss_mb"] = num(rss)
	s["duplicate_rewards"], s["storms_without_reward"] = nil, nil
	if r.storm != nil {
		s["duplicate_rewards"], s["storms_without_reward"] = r.storm.extra, r.storm.none
	}
	s["large_practice_p50_ratio_matched"], s["large_practice_p50_ratio_unmatched"] = nil, nil
	if l := r.large; l != nil {
		s["large_practice_p50_ratio_matched"] = num(l.matchedLarge / l.matchedNone)
		s["large_practice_p50_ratio_unmatched"] = num(l.payerLarge / l.payerNone)
	}
	s1, s8 := ratioAt(r.sqlite, 1), ratioAt(r.sqlite, 8)
	s["sqlite_ratio_vs_driver"], s["sqlite_ratio_vs_driver_c1"], s["sqlite_ratio_vs_driver_c8"] = num(math.Min(s1, s8)), num(s1), num(s8)
	s["allocs_per_request"] = num(r.allocs)
	return s
}

// num is a figure rounded for the JSON line, or nil when it was not measured.
func num(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return round(x)
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }

// write prints the Markdown report.
func (r *results) write(w io.Writer) {
	form := "full"
	if r.quick {
		form = "quick"
	}
	m := r.machine
	fmt.Fprintf(w, "## Record Conversion benchmark: %s run, commit %s, %s, %.0f s\n\n", form, cmp.Or(r.opts.commit, "unknown"),
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), r.elapsed.Seconds())
	fmt.Fprintf(w, "Machine: %d CPUs (%s), %s memory; PostgreSQL %s (%s).\n\n", m.cpus, m.cpu, m.memory, m.postgres, strings.Join(m.settings, ", "))

	t := &table{}
	t.row("What", "Figure", "Target")
	for _, k := range slices.Sorted(maps.Keys(r.counts)) {
		c := r.counts[k]
		target := ""
		if k == "PostgreSQL matched" {
			target = "≤ 8 statements, 1 transaction"
		}
		t.row(k+": statements / transactions / round trips per request",
			fmt.Sprintf("%d / %d / %d", c.Statements, c.Transactions, c.RoundTrips), target)
	}
	for _, c := range slices.Sorted(maps.Keys(r.matched)) {
		p := r.matched[c]
		target := ""
		if c <= 8 {
			target = "ratio ≥ 0.8"
		}
		t.row(fmt.Sprintf("Matched, c=%d: server req/s ÷ pgbench tps (median of %d, interleaved)", c, len(p.server)),
			fmt.Sprintf("%.0f ÷ %.0f = **%.2f**", load.Median(p.server), load.Median(p.pgbench), p.ratio()), target)
		t.row(fmt.Sprintf("Matched, c=%d: server p50 / p99 (closed loop)", c),
			fmt.Sprintf("%.1f / %.1f ms", load.Median(p.p50), load.Median(p.p99)), "")
	}
	if x := r.mix; x != nil {
		t.row(fmt.Sprintf("Mix (80%% unmatched with a name, 15%% first conversions, 5%% replays): max req/s (closed loop, c=%d)", x.maxClients),
			fmt.Sprintf("%.0f", x.maxRate), "")
		t.row(fmt.Sprintf("Mix at half load (%.0f req/s offered, %.0f answered): p50 / p99 from the scheduled time", x.halfRate, x.achieved),
			fmt.Sprintf("%.1f / **%.1f** ms", x.p50, x.p99), "p99 ≤ 20 ms")
		if x.wrong+x.failed > 0 || x.exhausted {
			t.row("Mix: unexpected answers / no answer / ran out of friends", fmt.Sprintf("%d / %d / %v", x.wrong, x.failed, x.exhausted), "0 / 0 / false")
		}
	}
	if s := r.storm; s != nil {
		t.row(fmt.Sprintf("Duplicate storm (%d × %d connections, one payment each): rewards beyond one / storms without a reward", s.storms, s.size),
			fmt.Sprintf("**%d** / %d (answers %s, %d unanswered)", s.extra, s.none, statuses(s.statuses), s.failed), "0 / 0")
	}
	if l := r.large; l != nil {
		scale := "full size"
		if !l.set.full() {
			scale = "SCALED DOWN for --quick"
		}
		t.row(fmt.Sprintf("Large data set (%s): one practice with %d advocates and %d referrals (the newer half converted) among %d practices of %d advocates and %d referrals, and an empty practice; seeded in",
			scale, l.set.advocates, l.set.referrals, l.set.small, l.set.smallAdvocates, l.set.smallReferrals),
			l.seedTime.Round(100*time.Millisecond).String(), "")
		t.row("Large ÷ empty practice, p50 of matched conversions", fmt.Sprintf("%.2f ÷ %.2f ms = **%.2f**", l.matchedLarge, l.matchedNone, l.matchedLarge/l.matchedNone), "≤ 1.3")
		t.row("Large ÷ empty practice, p50 of unmatched payers with a name", fmt.Sprintf("%.2f ÷ %.2f ms = **%.2f**", l.payerLarge, l.payerNone, l.payerLarge/l.payerNone), "≤ 1.3")
	}
	for _, c := range slices.Sorted(maps.Keys(r.sqlite)) {
		p := r.sqlite[c]
		t.row(fmt.Sprintf("SQLite, c=%d: server req/s ÷ driver replays/s (median of %d, interleaved)", c, len(p.server)),
			fmt.Sprintf("%.0f ÷ %.0f = **%.2f**", load.Median(p.server), load.Median(p.pgbench), p.ratio()), "ratio ≥ 0.8")
	}
	for _, k := range slices.Sorted(maps.Keys(r.rss)) {
		t.row("Peak RSS (VmHWM), "+k, fmt.Sprintf("%.1f MiB", r.rss[k]), "≤ 100 MB")
	}
	if !math.IsNaN(r.allocs) {
		t.row("Heap allocations per matched request (backend/app's handler in process, PostgreSQL)", fmt.Sprintf("%.0f", r.allocs), "")
	}
	t.write(w)

	if r.large != nil && len(r.large.plans) > 0 {
		fmt.Fprintf(w, "\nEXPLAIN (ANALYZE, BUFFERS) on the large practice, every statement of a matched and of an unmatched request (plans in full: explain-large.txt):\n\n")
		e := &table{}
		e.row("Request", "#", "Statement", "Plan (top node; scans)", "Rows removed by filter", "ms")
		for _, p := range r.large.plans {
			e.row(p.kind, fmt.Sprint(p.n), "`"+p.statement+"`", p.plan, fmt.Sprint(p.removed), fmt.Sprintf("%.3f", p.ms))
		}
		e.write(w)
	}

	var notes []string
	notes = append(notes, r.notes...)
	for _, k := range slices.Sorted(maps.Keys(r.kept)) {
		if r.kept[k] > 0 {
			notes = append(notes, fmt.Sprintf("%s: %d values that differed between the two captures are times or plain numbers, replayed as first captured", k, r.kept[k]))
		}
	}
	for _, table := range slices.Sorted(maps.Keys(r.copiedColumns)) {
		notes = append(notes, fmt.Sprintf("the seed does not know %s's columns %s: it copies them from a row the server made, and gives every seeded row that row's name", table, strings.Join(r.copiedColumns[table], ", ")))
	}
	for _, f := range r.failed {
		notes = append(notes, "FAILED: "+f)
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "\nNotes:")
		for _, n := range notes {
			fmt.Fprintln(w, "- "+n)
		}
	}
	fmt.Fprintf(w, "\nFiles: %s\n\n", r.opts.out)
}

func statuses(m map[int]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%d×%d", m[k], k))
	}
	return strings.Join(parts, ", ")
}

// table is a Markdown table.
type table struct{ rows [][]string }

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) {
	for i, r := range t.rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(escape(r), " | "))
		if i == 0 {
			fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(r)))
		}
	}
}

func escape(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.ReplaceAll(c, "|", `\|`)
	}
	return out
}
