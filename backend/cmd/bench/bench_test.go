package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// The seed writes rows the server takes for its own: a seeded friend's payment converts their
// referral, a practice's seeded history and the small practices have the rows they should,
// and (on SQLite, where the capture runs in process) the captured conversion replayed through
// the driver converts another seeded friend.
func TestSeededRowsConvert(t *testing.T) {
	ctx := context.Background()
	url, postgres := testdb.URL(t), testdb.Postgres()
	in, err := openInProcess(ctx, url, !postgres)
	if err != nil {
		t.Fatal(err)
	}
	defer in.close()
	p, secrets, err := in.app.Service.CreatePractice(ctx, referral.NewPractice{Name: "Seed Aesthetics", AdminEmail: "owner@seed.example"})
	if err != nil {
		t.Fatal(err)
	}
	var db *sql.DB
	if postgres {
		db, err = sql.Open("pgx", url)
	} else {
		db, err = openSQLite(strings.TrimPrefix(url, "sqlite://"))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	call := in.caller(secrets.APIKey)
	seed := newSeeder(db, postgres)
	tpl, err := makeTemplates(ctx, call, db, postgres, practice{ID: p.ID, APIKey: secrets.APIKey}, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.history(ctx, tpl, 4, 10); err != nil {
		t.Fatal(err)
	}
	if err := seed.smallPractices(ctx, tpl, 3, 2, 4); err != nil {
		t.Fatal(err)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		if !postgres {
			for i := range 3 {
				q = strings.Replace(q, "$"+string(rune('1'+i)), "?", 1)
			}
		}
		var n int
		if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	// The templates: two advocates, two referrals, one conversion; the history: 4 advocates, 10
	// referrals, the newer half converted with its conversion, reward and payment.
	for q, want := range map[string]int{
		"SELECT count(*) FROM advocates WHERE practice_id = $1":                                                                                2 + 4,
		"SELECT count(*) FROM referrals WHERE practice_id = $1 AND status = 'pending'":                                                         1 + 5,
		"SELECT count(*) FROM conversions WHERE practice_id = $1":                                                                              1 + 5,
		"SELECT count(DISTINCT code) FROM rewards WHERE practice_id = $1":                                                                      1 + 5,
		"SELECT count(*) FROM payments WHERE practice_id = $1 AND conversion_id IS NOT NULL":                                                   1 + 5,
		"SELECT count(*) FROM referrals r JOIN advocates a ON a.id = r.advocate_id AND a.practice_id = r.practice_id WHERE r.practice_id = $1": 2 + 10,
	} {
		if got := count(q, p.ID); got != want {
			t.Errorf("%s: %d, want %d", q, got, want)
		}
	}
	newest := "SELECT status FROM referrals WHERE practice_id = $1 AND id LIKE 'ref_0%' ORDER BY id DESC LIMIT 1"
	oldest := strings.Replace(newest, "DESC", "ASC", 1)
	for q, want := range map[string]string{newest: "converted", oldest: "pending"} {
		var status string
		if err := db.QueryRowContext(ctx, strings.Replace(q, "$1", placeholder(postgres), 1), p.ID).Scan(&status); err != nil || status != want {
			t.Errorf("%s: %q %v, want %q", q, status, err, want)
		}
	}
	if got := count("SELECT count(*) FROM referrals r JOIN advocates a ON a.id = r.advocate_id AND a.practice_id = r.practice_id WHERE r.practice_id <> $1", p.ID); got != 3*4 {
		t.Errorf("small practices' referrals to their own advocates: %d, want 12", got)
	}

	from, err := seed.pool(ctx, tpl, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := sendExpecting(ctx, call, matched(from), converted); err != nil {
		t.Fatal(err)
	}
	if err := sendExpecting(ctx, call, matched(from), replayed); err != nil {
		t.Fatal(err)
	}
	if err := sendExpecting(ctx, call, unmatched(seed.alloc(1)), noMatch); err != nil {
		t.Fatal(err)
	}
	if postgres {
		return
	}

	who, err := seed.capturing(ctx, tpl)
	if err != nil {
		t.Fatal(err)
	}
	matchedCap, unmatchedCap, err := captureConversions(ctx, in.record, call, who)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*captured{matchedCap, unmatchedCap} {
		if len(c.tpl.Notes) > 0 {
			t.Errorf("%s: %v", c.kind, c.tpl.Notes)
		}
	}
	if c := matchedCap.tpl.Counts(); c.Statements < 5 || c.Transactions < 1 {
		t.Errorf("the matched capture: %+v", c)
	}
	k := from + 1
	converted := "SELECT count(*) FROM referrals WHERE id = $1 AND status = 'converted'"
	if count(converted, seededID("ref", k)) != 0 {
		t.Fatal("converted before the replay")
	}
	if err := newReplay(in.app.DB.SQL(), matchedCap.tpl).once(ctx, k); err != nil {
		t.Fatal(err)
	}
	if count(converted, seededID("ref", k)) != 1 {
		t.Error("the replay did not convert the seeded friend's referral")
	}
	if n := count("SELECT count(*) FROM rewards WHERE advocate_id = $1", seededID("adv", k)); n != 1 {
		t.Errorf("the replay issued %d rewards, want 1", n)
	}
	// Another row's replay makes rows of its own: its made-up ids are its own.
	if err := newReplay(in.app.DB.SQL(), matchedCap.tpl).once(ctx, k+1); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT count(*) FROM payments WHERE id LIKE 'pay_u%' AND conversion_id LIKE 'cnv_u%'"); n != 2 {
		t.Errorf("%d replayed payments with their conversion, want 2", n)
	}
}

func placeholder(postgres bool) string {
	if postgres {
		return "$1"
	}
	return "?"
}

func TestSummarisePlan(t *testing.T) {
	plan := strings.Split(`Limit  (cost=0.42..1234.56 rows=1000 width=200) (actual time=0.1..392.0 rows=1000 loops=1)
  Buffers: shared hit=5000
  ->  Nested Loop  (cost=0.42..1234.56 rows=1000 width=200) (actual time=0.1..391.0 rows=1000 loops=1)
        ->  Index Scan Backward using referrals_pkey on referrals  (cost=0.42..99.0 rows=2000 width=150) (actual time=0.05..380.0 rows=1000 loops=1)
              Filter: ((practice_id = 'prc_1'::text) AND (status = 'pending'::text))
              Rows Removed by Filter: 500000
        ->  Index Scan using advocates_pkey on advocates a  (cost=0.29..0.5 rows=1 width=50) (actual time=0.001..0.001 rows=1 loops=1000)
Planning Time: 0.2 ms
Execution Time: 392.5 ms`, "\n")
	e := summarisePlan(plan)
	want := "Limit; Index Scan Backward using referrals_pkey on referrals; Index Scan using advocates_pkey on advocates a"
	if e.plan != want || e.removed != 500000 || e.ms != 392.5 {
		t.Errorf("got %q, %d removed, %v ms", e.plan, e.removed, e.ms)
	}
}
