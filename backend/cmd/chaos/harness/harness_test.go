package harness

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServerError holds answers to the rules for trouble: only a 503 with Retry-After, and an
// API's errors only as problems.
func TestServerError(t *testing.T) {
	problem := http.Header{"Content-Type": {"application/problem+json"}}
	retry := http.Header{"Content-Type": {"application/problem+json"}, "Retry-After": {"1"}}
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	for _, c := range []struct {
		status int
		header http.Header
		kind   Kind
		bad    bool
	}{
		{200, http.Header{}, API, false},
		{404, problem, API, false},
		{404, html, API, true},
		{404, html, Page, false},
		{431, http.Header{"Content-Type": {"text/plain"}}, Raw, false},
		{500, problem, API, true},
		{500, html, Page, true},
		{502, retry, API, true},
		{503, problem, API, true},
		{503, retry, API, false},
		{503, http.Header{"Retry-After": {"1"}, "Content-Type": {"text/html"}}, Page, false},
		{503, http.Header{"Retry-After": {"1"}, "Content-Type": {"text/html"}}, API, true},
	} {
		a := &Answer{Status: c.status, Header: c.header}
		if got := ServerError(a, c.kind) != ""; got != c.bad {
			t.Errorf("%d %v (kind %d): server error = %v, want %v", c.status, c.header, c.kind, got, c.bad)
		}
	}
}

// TestUnacknowledged retries what a Zap retries and nothing else.
func TestUnacknowledged(t *testing.T) {
	inProgress := &Answer{Status: 409, Header: http.Header{"Content-Type": {"application/problem+json"}},
		Body: []byte(`{"type":"/problems/request-in-progress"}`)}
	referred := &Answer{Status: 409, Header: http.Header{"Content-Type": {"application/problem+json"}},
		Body: []byte(`{"type":"/problems/already-referred"}`)}
	for _, c := range []struct {
		a    *Answer
		want bool
	}{{&Answer{}, true}, {&Answer{Status: 503}, true}, {&Answer{Status: 500}, true}, {&Answer{Status: 429}, true},
		{inProgress, true}, {referred, false}, {&Answer{Status: 400}, false}, {&Answer{Status: 201}, false}} {
		if got := c.a.Unacknowledged(); got != c.want {
			t.Errorf("%s: unacknowledged = %v, want %v", c.a, got, c.want)
		}
	}
}

// TestSendRetriesWithTheSameKeyAndBody is a Zap's retry: same key, same body, honouring
// Retry-After, until a 2xx.
func TestSendRetriesWithTheSameKeyAndBody(t *testing.T) {
	var mu sync.Mutex
	var keys, bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		keys, bodies = append(keys, r.Header.Get("Idempotency-Key")), append(bodies, string(body))
		if len(keys) < 3 {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	tally := NewTally("retry")
	c := NewClient(srv.URL, "al_live_x", tally, Patience{Attempts: 5, Within: 10 * time.Second, PerAttempt: time.Second, MaxWait: 0})
	start := time.Now()
	a := c.PostJSON(context.Background(), "/v1/conversions", map[string]string{"invoice_id": "INV-1"})
	if a.Status != http.StatusCreated || a.Attempts != 3 {
		t.Fatalf("answer %s after %d attempts, want 201 after 3", a, a.Attempts)
	}
	if keys[0] == "" || keys[0] != keys[1] || keys[1] != keys[2] || bodies[0] != bodies[2] {
		t.Errorf("retries sent keys %q and bodies %q, want one key and one body", keys, bodies)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("the retries took %s", time.Since(start))
	}
	s := tally.Summary()
	if s.Requests != 3 || s.C5 != 2 || s.C2 != 1 || s.ServerErrors != 0 {
		t.Errorf("tally = %+v, want 3 requests: two 503s with Retry-After (no server error) and a 201", s)
	}
}

// TestLaggedBody sends the headers first and the body a moment later, as Zapier does.
func TestLaggedBody(t *testing.T) {
	got := make(chan time.Duration, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		io.ReadAll(r.Body)
		got <- time.Since(start)
	}))
	defer srv.Close()
	c := NewClient(srv.URL, "", NewTally("lag"), Patience{Attempts: 1, Within: time.Second, PerAttempt: 5 * time.Second})
	c.Once(context.Background(), Request{Method: "POST", Path: "/", Body: []byte(`{}`), Lag: 300 * time.Millisecond})
	if d := <-got; d < 250*time.Millisecond {
		t.Errorf("the handler had the body after %s, want it held back about 300ms", d)
	}
}

// TestRecovery ends a fault's recovery at the first acknowledgement after it, and fails a
// fault nobody recovered from.
func TestRecovery(t *testing.T) {
	tally := NewTally("faults")
	tally.Cleared("the first fault")
	time.Sleep(20 * time.Millisecond)
	tally.Observe("POST", "/v1/conversions", &Answer{Status: 201, At: time.Now()}, API)
	tally.Cleared("the second fault")
	s := tally.Summary()
	if s.Recovery < 20*time.Millisecond || s.Recovery > time.Second {
		t.Errorf("recovery = %s, want about 20ms", s.Recovery)
	}
	if s.FailedChecks != 1 || !strings.Contains(s.Failures[0], "the second fault") {
		t.Errorf("failures = %q, want the unrecovered second fault", s.Failures)
	}
}

// TestAudit finds what was acknowledged but is missing, and what exists twice, in a real
// SQLite database.
func TestAudit(t *testing.T) {
	db, err := OpenSQLite(filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		"CREATE TABLE advocates (id TEXT)", "CREATE TABLE referrals (id TEXT)",
		"CREATE TABLE conversions (id TEXT, practice_id TEXT, referral_id TEXT, invoice_id TEXT, status TEXT)",
		"CREATE TABLE payments (practice_id TEXT, invoice_id TEXT, payment_id TEXT)",
		"CREATE TABLE refunds (practice_id TEXT, invoice_id TEXT, refund_id TEXT)",
		"CREATE TABLE rewards (conversion_id TEXT, code TEXT, status TEXT)",
		"INSERT INTO advocates VALUES ('adv_1')",
		"INSERT INTO conversions VALUES ('cnv_1', 'prc_1', 'ref_1', 'INV-1', 'rewarded'), ('cnv_2', 'prc_1', 'ref_2', 'INV-1', 'rewarded')",
		"INSERT INTO payments VALUES ('prc_1', 'INV-1', '')",
		"INSERT INTO rewards VALUES ('cnv_1', 'AL-1', 'issued'), ('cnv_2', 'AL-2', 'redeemed')",
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	l := NewLedger()
	l.Keep(KeptAdvocate, "adv_1")
	l.Keep(KeptAdvocate, "adv_2") // lost
	l.Keep(KeptPayment, "prc_1", "INV-1", "")
	l.Keep(KeptRefund, "prc_1", "INV-1", "RF-1") // lost
	l.Keep(KeptRedemption, "AL-2")
	tally := NewTally("audit")
	if err := l.Audit(context.Background(), db, tally); err != nil {
		t.Fatal(err)
	}
	if s := tally.Summary(); s.Lost != 2 || s.Duplicates != 1 {
		t.Errorf("lost %d, duplicates %d; want 2 lost and 1 conversion too many for INV-1\n%q", s.Lost, s.Duplicates, s.Notes)
	}
}

// TestReport ends with the JSON line and fails the run on any count.
func TestReport(t *testing.T) {
	var out bytes.Buffer
	clean := Summary{Name: "clean", Requests: 10, C2: 10, Recovery: 1500 * time.Millisecond}
	if Report(&out, []Summary{clean}).Failed() {
		t.Error("a clean run failed")
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := `{"scenarios":1,"acknowledged_lost":0,"duplicate_rewards":0,"cross_tenant_reads":0,"server_errors":0,"failed_checks":0,"recovery_s_max":1.5}`
	if last := lines[len(lines)-1]; last != want {
		t.Errorf("last line %s, want %s", last, want)
	}
	for _, bad := range []Summary{{Lost: 1}, {Duplicates: 1}, {Leaks: 1}, {ServerErrors: 1}, {FailedChecks: 1}} {
		if !Report(io.Discard, []Summary{clean, bad}).Failed() {
			t.Errorf("%+v did not fail the run", bad)
		}
	}
}
