package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/apitest"
	"github.com/advocateloop/advocateloop/backend/app"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// server is the real HTTP server on a free loopback port, on a fresh database of the kind
// the test run uses (SQLite, or PostgreSQL when ADVOCATELOOP_TEST_POSTGRES is set).
type server struct {
	URL    string
	App    *app.App
	Client *apitest.Client // no key
}

// practice is a practice created for a test, with a client that sends its key.
type practice struct {
	*referral.Practice
	Key    string
	Client *apitest.Client
}

func mustServe(tb testing.TB, change ...func(*config.Config)) *server {
	tb.Helper()
	return mustServeWith(tb, nil, change...)
}

// mustServeWith is mustServe with prepare run on the app before it serves, such as to give it
// a clock the test moves.
func mustServeWith(tb testing.TB, prepare func(*app.App), change ...func(*config.Config)) *server {
	tb.Helper()
	cfg := config.Config{DatabaseURL: testdb.URL(tb), Addr: "127.0.0.1:0",
		PublicURL: "https://refer.example.com", RateLimit: 1000, DeliveryInterval: 20 * time.Millisecond,
		FailedKeyLimit: 1000} // tests send many wrong keys from one address on purpose
	for _, f := range change {
		f(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("open app: %v", err)
	}
	if prepare != nil {
		prepare(a)
	}
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, func(s string) { addr <- s }) }()
	var url string
	select {
	case s := <-addr:
		url = "http://" + s
	case err := <-done:
		tb.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		tb.Fatal("server did not start within 10s")
	}
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("serve: %v", err)
		}
		a.Close()
	})
	return &server{URL: url, App: a, Client: apitest.NewClient(tb, url)}
}

func (s *server) mustPractice(tb testing.TB, name string) *practice {
	tb.Helper()
	p, secrets, err := s.App.Service.CreatePractice(context.Background(),
		referral.NewPractice{Name: name, AdminEmail: "admin@" + strings.ReplaceAll(strings.ToLower(name), " ", "") + ".example"})
	if err != nil {
		tb.Fatalf("create practice: %v", err)
	}
	return &practice{Practice: p, Key: secrets.APIKey, Client: s.Client.WithKey(secrets.APIKey)}
}

// rows reads every row of every table as text, to prove what is (and is not) stored; the
// tables are read from the database's catalogue, so a new table cannot be missed.
func (s *server) rows(tb testing.TB) map[string][]string {
	tb.Helper()
	s.settleMail(tb)
	db := s.App.DB.SQL()
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if s.App.DB.Postgres() {
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := db.Query(query)
	if err != nil {
		tb.Fatalf("list tables: %v", err)
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			tb.Fatalf("list tables: %v", err)
		}
		names = append(names, name)
	}
	rows.Close()
	out := map[string][]string{}
	for _, name := range names {
		if !strings.HasPrefix(name, "goose_") {
			out[name] = selectAll(tb, db, name)
		}
	}
	if len(out) < 12 {
		tb.Fatalf("found only tables %v", names)
	}
	return out
}

// settleMail waits until the mail worker has taken every queued message (without an SMTP
// server it holds them in the mailbox), so a snapshot shows what requests wrote, not the
// worker half-way through.
func (s *server) settleMail(tb testing.TB) {
	tb.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		n := 0
		err := s.App.DB.SQL().QueryRow("SELECT COUNT(*) FROM messages WHERE status IN ('queued', 'sending')").Scan(&n)
		if err != nil {
			tb.Fatalf("count queued messages: %v", err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d messages still queued after 10s", n)
		}
	}
}

func selectAll(tb testing.TB, db *sql.DB, table string) []string {
	tb.Helper()
	rows, err := db.Query("SELECT * FROM " + table)
	if err != nil {
		tb.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			tb.Fatalf("scan %s: %v", table, err)
		}
		var b strings.Builder
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%v ", cols[i], v)
		}
		out = append(out, b.String())
	}
	sort.Strings(out)
	return out
}

// count is how many rows a table has.
func (s *server) count(tb testing.TB, table string) int {
	tb.Helper()
	var n int
	if err := s.App.DB.SQL().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}
