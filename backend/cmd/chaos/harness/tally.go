// Package harness is what the fault scenarios of cmd/chaos are built from: a throwaway
// PostgreSQL cluster, the real server binary as a process, clients that retry like Zapier, hook
// receivers, and the accounting that decides whether anything acknowledged was lost.
package harness

import (
	"fmt"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Tally is what one scenario saw: every answer by status class, the answers that break the
// rules, and the checks that failed. It is safe for concurrent use.
type Tally struct {
	Name string

	mu          sync.Mutex
	requests    int
	byClass     [6]int // [0] is no answer at all: the connection failed
	serverErrs  int
	crossTenant int
	lost, dups  int
	failed      map[string]int // a failed check, with how often it failed
	why         map[string]int // examples of server errors, by kind
	faults      []*fault
	watches     []*Watch
	recoveries  []time.Duration
	notes       []string
}

// fault is a fault cleared at a moment, waiting for the first acknowledged answer after it.
type fault struct {
	what      string
	clearedAt time.Time
	recovered bool
}

// NewTally starts the count of one scenario.
func NewTally(name string) *Tally {
	return &Tally{Name: name, failed: map[string]int{}, why: map[string]int{}}
}

// Kind is how an answer is judged: the API's answers are problems, pages are HTML.
type Kind int

const (
	API  Kind = iota // every 4xx and 5xx must be application/problem+json
	Page             // HTML pages: 4xx may be a page, but 5xx still only 503 with Retry-After
	Raw              // answered by net/http itself before any handler (431 and the like)
)

// Observe counts one answer (or its absence) and judges it by the rules for trouble.
func (t *Tally) Observe(method, path string, a *Answer, kind Kind) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.requests++
	class := min(a.Status/100, 5)
	t.byClass[class]++
	for _, w := range t.watches {
		w.add(a)
	}
	if class == 2 {
		t.ackedLocked(a.At)
	}
	if bad := ServerError(a, kind); bad != "" {
		t.serverErrs++
		t.why[fmt.Sprintf("%s on %s %s", bad, method, pathShape(path))]++
	}
}

// ServerError says why an answer breaks the rules for trouble, or "" when it does not: a 5xx
// must be a 503 with Retry-After, and an API's 4xx or 5xx must be a problem.
func ServerError(a *Answer, kind Kind) string {
	switch {
	case a.Status == http.StatusServiceUnavailable && a.Header.Get("Retry-After") == "":
		return "503 without Retry-After"
	case a.Status >= 500 && a.Status != http.StatusServiceUnavailable:
		return strings.TrimSpace(fmt.Sprintf("%d %s", a.Status, a.Problem()))
	case a.Status >= 400 && kind == API:
		mt, _, _ := mime.ParseMediaType(a.Header.Get("Content-Type"))
		if mt != "application/problem+json" {
			return fmt.Sprintf("%d as %q, not a problem", a.Status, mt)
		}
	}
	return ""
}

// pathShape replaces ids and codes in a path by placeholders, so examples group by route.
func pathShape(path string) string {
	path, _, _ = strings.Cut(path, "?")
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if i >= 3 && p != "" && !slices.Contains(routeWords, p) {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

var routeWords = []string{"advocates", "referrals", "conversions", "reverse", "manual", "rewards",
	"redeem", "hooks", "events", "near-misses", "confirm", "dismiss", "payments", "refunds",
	"webhooks", "me", "sign-in", "unsubscribe", "qr.svg", "emails", "sign-out"}

// Fail records a failed check; the same check failing again is counted, not repeated.
func (t *Tally) Fail(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failed[fmt.Sprintf(format, args...)]++
}

// CrossTenant records a request that saw or changed another practice's data.
func (t *Tally) CrossTenant(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.crossTenant++
	t.failed["cross-tenant: "+fmt.Sprintf(format, args...)]++
}

// Note keeps a line for the report that is not a failure: what method a fault used, say.
func (t *Tally) Note(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
}

// Audited records what the database audit found.
func (t *Tally) Audited(lost, duplicates int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lost += lost
	t.dups += duplicates
}

// Cleared marks a fault cleared now; the first acknowledged answer after it ends its recovery.
func (t *Tally) Cleared(what string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = append(t.faults, &fault{what: what, clearedAt: time.Now()})
}

func (t *Tally) ackedLocked(at time.Time) {
	for _, f := range t.faults {
		if !f.recovered && !at.Before(f.clearedAt) {
			f.recovered = true
			t.recoveries = append(t.recoveries, at.Sub(f.clearedAt))
		}
	}
}

// Watch counts answers from now until Stop: what happened while a fault was on.
type Watch struct {
	mu      sync.Mutex
	seen    Seen
	stopped bool
}

// Seen is what a watch saw: answers by status (0: no answer) and the slowest of them.
type Seen struct {
	Statuses map[int]int
	Slowest  time.Duration
}

// Not2xx counts the answers that were not acknowledgements.
func (s Seen) Not2xx() int {
	n := 0
	for status, count := range s.Statuses {
		if status < 200 || status > 299 {
			n += count
		}
	}
	return n
}

// Watch starts counting answers.
func (t *Tally) Watch() *Watch {
	w := &Watch{seen: Seen{Statuses: map[int]int{}}}
	t.mu.Lock()
	t.watches = append(t.watches, w)
	t.mu.Unlock()
	return w
}

func (w *Watch) add(a *Answer) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.seen.Statuses[a.Status]++
		w.seen.Slowest = max(w.seen.Slowest, a.Took)
	}
}

// Stop ends the watch and returns what it saw.
func (w *Watch) Stop() Seen {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	return w.seen
}

// Summary is a tally's final figures, as the report prints them.
type Summary struct {
	Name                       string
	Requests                   int
	NoAnswer, C2, C3, C4, C5   int
	Lost, Duplicates, Leaks    int
	ServerErrors, FailedChecks int
	Recovery                   time.Duration // the slowest recovery; -1 when nothing was faulted
	Failures, Examples, Notes  []string
}

// MaxRecovery is how soon after a fault clears the first request must be acknowledged.
const MaxRecovery = 10 * time.Second

// Summary closes the tally: a fault nobody recovered from, or recovered from too slowly, is a
// failed check.
func (t *Tally) Summary() Summary {
	t.mu.Lock()
	for _, f := range t.faults {
		if !f.recovered {
			t.failed[fmt.Sprintf("no request was acknowledged after %s", f.what)]++
		}
	}
	for _, r := range t.recoveries {
		if r > MaxRecovery {
			t.failed[fmt.Sprintf("the first acknowledgement came %.1f s after a fault cleared, over %s", r.Seconds(), MaxRecovery)]++
		}
	}
	t.faults = nil
	s := Summary{Name: t.Name, Requests: t.requests, NoAnswer: t.byClass[0], C2: t.byClass[2],
		C3: t.byClass[3], C4: t.byClass[4], C5: t.byClass[5], Lost: t.lost, Duplicates: t.dups,
		Leaks: t.crossTenant, ServerErrors: t.serverErrs, Recovery: -1, Notes: t.notes}
	for _, r := range t.recoveries {
		s.Recovery = max(s.Recovery, r)
	}
	for what, n := range t.failed {
		s.FailedChecks += n
		s.Failures = append(s.Failures, counted(what, n))
	}
	for what, n := range t.why {
		s.Examples = append(s.Examples, counted(what, n))
	}
	t.mu.Unlock()
	sort.Strings(s.Failures)
	sort.Strings(s.Examples)
	return s
}

func counted(what string, n int) string {
	if n == 1 {
		return what
	}
	return fmt.Sprintf("%s (×%d)", what, n)
}
