package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// env is what every scenario shares: the server binary, a work directory, one PostgreSQL
// cluster (each scenario gets its own database in it) and the run's size.
type env struct {
	short   bool
	bin     string // the real advocateloop binary
	work    string // removed by scripts/chaos when the run ends
	cluster *harness.Cluster
	dbs     int // databases made so far, to name the next
}

// size picks the short form's figure or the full run's.
func (e *env) size(short, full int) int {
	if e.short {
		return short
	}
	return full
}

// span picks the short form's duration or the full run's.
func (e *env) span(short, full time.Duration) time.Duration {
	if e.short {
		return short
	}
	return full
}

// patience is how long a Zap keeps retrying one step that was not acknowledged: long enough
// to outlast every fault a scenario makes, yet bounded. Zapier gives each attempt 30 s.
func (e *env) patience() harness.Patience {
	return harness.Patience{Attempts: 200, Within: e.span(15*time.Second, 45*time.Second),
		PerAttempt: 30 * time.Second, MaxWait: 5 * time.Second}
}

// deadline is the request deadline every server is given (ADVOCATELOOP_REQUEST_TIMEOUT), short
// so that a lock held past it makes a quick scenario.
const deadline = 2 * time.Second

// stack is one scenario's database, its servers and practices.
type stack struct {
	env        *env
	t          *harness.Tally
	dbURL      string
	sqlite     string  // the database file, on SQLite
	db         *sql.DB // chaos's own connection, to fault and to audit the database
	vars       []string
	servers    []*harness.Server
	practices  []harness.Practice
	ledger     *harness.Ledger
	recovering sync.WaitGroup
	// legacyWebhooks is whether this server takes webhooks at /v1/webhooks/payments rather
	// than under the practice's id; nil until asked.
	legacyWebhooks *bool
}

// options shape a stack.
type options struct {
	servers   int      // default 1
	practices int      // default 1
	vars      []string // server settings on top of the defaults, NAME=value
	sqliteDir string   // SQLite in this directory instead of PostgreSQL
}

// serverDefaults let a scenario's traffic through: limits out of the way (floods set their
// own), hooks to loopback receivers allowed, deliveries looked for often.
var serverDefaults = []string{
	"ADVOCATELOOP_PUBLIC_URL=http://refer.chaos.example",
	"ADVOCATELOOP_RATE_LIMIT=100000",
	"ADVOCATELOOP_PUBLIC_RATE_LIMIT=100000",
	"ADVOCATELOOP_ALLOW_PRIVATE_HOOKS=true",
	"ADVOCATELOOP_DELIVERY_INTERVAL=200ms",
	"ADVOCATELOOP_REQUEST_TIMEOUT=" + deadline.String(),
}

// stack makes a fresh database, creates the practices with the binary's own command, and
// starts the servers.
func (e *env) stack(ctx context.Context, t *harness.Tally, o options) (*stack, error) {
	s := &stack{env: e, t: t, ledger: harness.NewLedger()}
	var err error
	if o.sqliteDir != "" {
		s.sqlite = filepath.Join(o.sqliteDir, "advocateloop.db")
		s.dbURL = "sqlite://" + s.sqlite
	} else {
		e.dbs++
		if s.dbURL, err = e.cluster.CreateDatabase(ctx, fmt.Sprintf("chaos_%d", e.dbs)); err != nil {
			return nil, err
		}
	}
	s.vars = append(append([]string{"DATABASE_URL=" + s.dbURL}, serverDefaults...), o.vars...)
	for i := range max(o.practices, 1) {
		email := fmt.Sprintf("owner%d-%s@chaos.example", i, harness.NewKey()[6:14])
		p, err := harness.CreatePractice(ctx, e.bin, s.vars, fmt.Sprintf("Chaos Aesthetics %d", i+1), email)
		if err != nil {
			return nil, err
		}
		s.practices = append(s.practices, p)
	}
	if s.sqlite != "" {
		s.db, err = harness.OpenSQLite(s.sqlite)
	} else {
		s.db, err = harness.OpenPostgres(s.dbURL)
	}
	if err != nil {
		return nil, err
	}
	for range max(o.servers, 1) {
		srv, err := harness.StartServer(ctx, e.bin, s.vars)
		if err != nil {
			s.close()
			return nil, err
		}
		s.servers = append(s.servers, srv)
	}
	return s, nil
}

// server is the stack's first server.
func (s *stack) server() *harness.Server { return s.servers[0] }

// client is practice i's Zap, talking to the first server.
func (s *stack) client(i int) *harness.Client {
	return harness.NewClient(s.server().URL(), s.practices[i].APIKey, s.t, s.env.patience())
}

// traffic is practice i's Zaps at work, recording into the stack's ledger.
func (s *stack) traffic(i int) *traffic {
	return newTraffic(s.client(i), s.practices[i], s.ledger, s.t)
}

// ready asks /readyz once, uncounted: it is an observation, not traffic.
func (s *stack) ready(ctx context.Context) int {
	return probe(ctx, s.server().URL()+"/readyz")
}

// probe is one GET's status, 0 without an answer; it is not counted in any tally.
func probe(ctx context.Context, url string) int {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// cleared marks a fault cleared and sends fresh payments (new invoice, new key, nobody's
// email) until one is acknowledged: how long the server takes to serve again, whatever the
// traffic that was under way is still waiting for.
func (s *stack) cleared(ctx context.Context, what string) {
	s.t.Cleared(what)
	c := s.client(0)
	s.recovering.Go(func() {
		defer c.Close()
		end := time.Now().Add(s.env.patience().Within)
		for time.Now().Before(end) && ctx.Err() == nil {
			invoice := "RECOVER-" + harness.NewKey()[6:18]
			a := c.Once(ctx, harness.Request{Method: http.MethodPost, Path: "/v1/conversions",
				Header: http.Header{"Idempotency-Key": {harness.NewKey()}},
				Body:   mustJSON(map[string]string{"invoice_id": invoice, "email": madeEmail(), "amount": "10.00"})})
			if a.OK() {
				s.ledger.Keep(harness.KeptPayment, s.practices[0].ID, invoice, "")
				return
			}
			sleep(ctx, 100*time.Millisecond)
		}
	})
}

// finish audits the database against the ledger, looks through the servers' logs for emails,
// and stops everything.
func (s *stack) finish(ctx context.Context) {
	s.recovering.Wait()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := s.ledger.Audit(ctx, s.db, s.t); err != nil {
		s.t.Fail("the audit could not read the database: %v", err)
	}
	err := eachText(ctx, s.db, func(table, column, text string) {
		if strings.Contains(text, unread) {
			s.t.Fail("%s.%s holds a field the API does not read (a phone number, line items)", table, column)
		}
	})
	if err != nil {
		s.t.Fail("the audit could not read the database: %v", err)
	}
	s.close()
}

func (s *stack) close() {
	for _, srv := range s.servers {
		srv.Kill()
		if n := srv.LeakedEmails(); n > 0 {
			s.t.Fail("%d server log lines carry a patient's whole email", n)
		}
	}
	if s.db != nil {
		s.db.Close()
	}
}
