package app_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// Trouble in the database is answered 503 with Retry-After, never 400 or 500, and what was not
// acknowledged lands when the client sends it again.

func shortDeadline(d time.Duration) func(*config.Config) {
	return func(c *config.Config) { c.RequestTimeout = d }
}

// holdWriteLock makes the server's database refuse writes until the returned release is
// called, the way maintenance or a long transaction of another process would: SQLite's writer
// lock held by another connection, or PostgreSQL's payments table locked.
func holdWriteLock(tb testing.TB, s *server) (release func()) {
	tb.Helper()
	db, err := storage.Open(s.App.Config.DatabaseURL)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	lock := []string{"BEGIN IMMEDIATE"}
	if db.Postgres() {
		lock = []string{"BEGIN", "LOCK TABLE payments IN ACCESS EXCLUSIVE MODE"}
	}
	for _, stmt := range lock {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			tb.Fatalf("%s: %v", stmt, err)
		}
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				tb.Errorf("release the lock: %v", err)
			}
			conn.Close()
			db.Close()
		})
	}
	tb.Cleanup(release)
	return release
}

// slowPost sends a POST the way Zapier's and Python's clients do under load: the headers, a
// pause, then the body; an empty body is declared but never sent. It returns the status, headers and body of the answer.
func slowPost(tb testing.TB, base, path, key, idempotencyKey, body string, pause time.Duration) (int, http.Header, string) {
	tb.Helper()
	u, _ := url.Parse(base)
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(40 * time.Second))
	length := len(body)
	if body == "" {
		length = 64
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"+
		"Idempotency-Key: %s\r\nContent-Length: %d\r\n\r\n", path, u.Host, key, idempotencyKey, length)
	time.Sleep(pause)
	if body != "" {
		if _, err := conn.Write([]byte(body)); err != nil {
			tb.Fatal(err)
		}
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		tb.Fatalf("no answer: %v", err)
	}
	defer res.Body.Close()
	var b strings.Builder
	bufio.NewReader(res.Body).WriteTo(&b)
	return res.StatusCode, res.Header, b.String()
}

// wantUnavailable fails unless the answer is a retryable 503 problem.
func wantUnavailable(tb testing.TB, what string, status int, h http.Header, body string) {
	tb.Helper()
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" ||
		!strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") || !strings.Contains(body, "/problems/unavailable") {
		tb.Fatalf("%s: %d Retry-After=%q %s, want a 503 unavailable problem with Retry-After",
			what, status, h.Get("Retry-After"), body)
	}
}

// A lock held past the deadline: the conversion whose body came a moment after its headers is
// answered 503 with Retry-After (it used to be 400 "body could not be read", which Zapier never
// retries), nothing is recorded, and the retry with the same key lands once.
func TestLockedDatabaseAnswers503AndTheRetryLands(t *testing.T) {
	s := mustServe(t, shortDeadline(time.Second))
	p := s.mustPractice(t, "Glow Aesthetics")
	s.mustReferral(t, p, "fran@example.com")
	body := `{"invoice_id":"INV-1","email":"fran@example.com","amount":"250.00"}`

	release := holdWriteLock(t, s)
	status, h, answer := slowPost(t, s.URL, "/v1/conversions", p.Key, "zap-run-1", body, 300*time.Millisecond)
	wantUnavailable(t, "a conversion behind a lock", status, h, answer)

	// A body that never comes is answered once the deadline passes, without a connection held.
	status, h, answer = slowPost(t, s.URL, "/v1/conversions", p.Key, "zap-run-2", "", 0)
	if status != http.StatusRequestTimeout || !strings.Contains(answer, "/problems/request-timeout") {
		t.Fatalf("a body that never came: %d %s, want a 408 request-timeout problem", status, answer)
	}
	release()

	status, _, answer = slowPost(t, s.URL, "/v1/conversions", p.Key, "zap-run-1", body, 300*time.Millisecond)
	if status != http.StatusCreated {
		t.Fatalf("the retry: %d %s, want 201", status, answer)
	}
	if n := s.count(t, "conversions"); n != 1 {
		t.Fatalf("%d conversions, want 1", n)
	}
	if n := s.count(t, "rewards"); n != 1 {
		t.Fatalf("%d rewards, want 1", n)
	}
}

// The public pages still answer while the API piles up behind a lock: the API may not take
// every database connection. (SQLite has one connection, which a lock holds for everyone.)
func TestPagesAnswerWhileTheAPIWaitsOnALock(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("SQLite has a single connection: there is no pool to share")
	}
	s := mustServe(t, shortDeadline(5*time.Second))
	p := s.mustPractice(t, "Glow Aesthetics")
	s.mustReferral(t, p, "fran@example.com")
	release := holdWriteLock(t, s)
	defer release()

	n := s.App.DB.Connections() + 10
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"invoice_id":"INV-%d","email":"fran@example.com","amount":"250.00"}`, i)
			slowPost(t, s.URL, "/v1/conversions", p.Key, fmt.Sprintf("k-%d", i), body, 0)
		}()
	}
	time.Sleep(500 * time.Millisecond) // let the API requests reach the lock
	// Starved, the page would wait for the API's requests to give up at their deadline.
	patient := &http.Client{Timeout: 2 * time.Second}
	page, err := patient.Get(s.URL + "/p/" + p.Slug)
	if err != nil {
		t.Fatalf("the join page while the API waits: %v", err)
	}
	page.Body.Close()
	if page.StatusCode != http.StatusOK {
		t.Errorf("the join page while the API waits: %d, want 200", page.StatusCode)
	}
	wg.Wait()
}

// Connections killed under the server (pg_terminate_backend, a PostgreSQL restart) are
// replaced without the client ever seeing it.
func TestKilledConnectionsAreRetried(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("SQLite has no connections to kill")
	}
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	admin := mustAdmin(t, s)
	for i := range 5 {
		if _, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
			t.Fatal(err)
		}
		mustDo(t, p.Client, "POST", "/v1/advocates",
			map[string]any{"name": "Jane Avery", "email": fmt.Sprintf("jane%d@example.com", i)}, 201, nil)
		mustDo(t, p.Client, "GET", "/v1/advocates", nil, 200, nil)
	}
}

// A database that takes no writes (read-only, or its disk full) answers 503 with Retry-After
// for writes, keeps answering reads, and /readyz says it is not ready; when it takes writes
// again, so does the server.
func TestDatabaseThatTakesNoWrites(t *testing.T) {
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	s.mustReferral(t, p, "fran@example.com")
	conversion := map[string]any{"invoice_id": "INV-1", "email": "fran@example.com", "amount": "250.00"}
	c := p.Client.For(t)

	readOnly(t, s, true)
	res := c.Post("/v1/conversions", conversion)
	wantUnavailable(t, "a conversion on a read-only database", res.Status, res.Header, string(res.Body))
	if res := c.Get("/v1/advocates"); res.Status != http.StatusOK && !testdb.Postgres() {
		// SQLite takes its write lock for every transaction, reads included.
		wantUnavailable(t, "a read on a read-only SQLite", res.Status, res.Header, string(res.Body))
	} else if res.Status != http.StatusOK {
		t.Fatalf("a read on a read-only database: %d %s", res.Status, res.Body)
	}
	if res := s.Client.For(t).Get("/readyz"); res.Status != http.StatusServiceUnavailable || res.Problem(t).Slug() != "not-ready" {
		t.Fatalf("/readyz on a read-only database: %d %s", res.Status, res.Body)
	}
	page, err := http.Get(s.URL + "/r/ABCDEFGH")
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	switch {
	case page.StatusCode == http.StatusNotFound:
	case page.StatusCode == http.StatusServiceUnavailable && page.Header.Get("Retry-After") != "" && !testdb.Postgres():
	default:
		t.Fatalf("a page on a read-only database: %d Retry-After=%q", page.StatusCode, page.Header.Get("Retry-After"))
	}

	readOnly(t, s, false)
	mustDo(t, p.Client, "POST", "/v1/conversions", conversion, 201, nil)
	mustDo(t, s.Client, "GET", "/readyz", nil, 200, nil)

	if !testdb.Postgres() {
		// A full disk: SQLite may not grow the file past its current size.
		var pages int
		db := s.App.DB.SQL()
		if err := db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
			t.Fatal(err)
		}
		for i := range 20 { // until the file must grow
			res = c.Post("/v1/advocates", map[string]any{"name": strings.Repeat("Jane ", 40), "email": fmt.Sprintf("jane%d@example.com", i)})
			if res.Status != http.StatusCreated {
				break
			}
		}
		wantUnavailable(t, "an advocate on a full disk", res.Status, res.Header, string(res.Body))
	}
}

// readOnly turns the server's database read-only, or back.
func readOnly(tb testing.TB, s *server, on bool) {
	tb.Helper()
	if !testdb.Postgres() {
		// The server's one SQLite connection refuses writes (SQLITE_READONLY) while query_only is on.
		if _, err := s.App.DB.SQL().Exec(fmt.Sprintf("PRAGMA query_only = %t", on)); err != nil {
			tb.Fatal(err)
		}
		return
	}
	u, _ := url.Parse(s.App.Config.DatabaseURL)
	name := strings.TrimPrefix(u.Path, "/")
	setting := "SET default_transaction_read_only = on"
	if !on {
		setting = "RESET default_transaction_read_only"
	}
	// From the cluster's own database, as an operator would: every new session of the server's
	// database is read-only, as on a standby, and its old sessions are gone.
	admin, err := storage.Open(os.Getenv(testdb.EnvPostgres))
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	for _, stmt := range []string{fmt.Sprintf("ALTER DATABASE %s %s", name, setting),
		fmt.Sprintf("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'", name)} {
		if _, err := admin.SQL().Exec(stmt); err != nil {
			tb.Fatalf("%s: %v", stmt, err)
		}
	}
}

// mustAdmin is a connection of the test's own to the server's PostgreSQL database.
func mustAdmin(tb testing.TB, s *server) *sql.DB {
	tb.Helper()
	db, err := storage.Open(s.App.Config.DatabaseURL)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	sqlDB := db.SQL()
	sqlDB.SetMaxOpenConns(1)
	return sqlDB
}
