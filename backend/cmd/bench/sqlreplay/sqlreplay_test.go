package sqlreplay

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseParams(t *testing.T) {
	got, err := ParseParams(`parameters: $1 = 'prc_01', $2 = NULL, $3 = 'it''s, $4 = ''x''', $4 = ''`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Value{{Text: "prc_01"}, {Null: true}, {Text: "it's, $4 = 'x'"}, {Text: ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
	for _, bad := range []string{"parameters: $2 = 'a'", "parameters: $1 = 'open", "parameters: $1 = 42", "something else"} {
		if _, err := ParseParams(bad); err == nil {
			t.Errorf("ParseParams(%q) took it", bad)
		}
	}
	if got, err := ParseParams(""); err != nil || got != nil {
		t.Errorf("no detail: %v %v", got, err)
	}
}

func TestLoggedStatement(t *testing.T) {
	s, ok, err := LoggedStatement(LogEntry{Pid: 7, Message: "execute stmtcache_ab12: SELECT * FROM t WHERE a = $1\n AND b = $2",
		Detail: "parameters: $1 = 'x', $2 = '3'"})
	if err != nil || !ok || s.SQL != "SELECT * FROM t WHERE a = $1\n AND b = $2" || len(s.Params) != 2 || s.Session != "7" {
		t.Fatalf("execute: %+v %v %v", s, ok, err)
	}
	s, ok, _ = LoggedStatement(LogEntry{Pid: 7, Message: "execute <unnamed>: SELECT 1"})
	if !ok || s.SQL != "SELECT 1" {
		t.Fatalf("unnamed: %+v", s)
	}
	s, ok, _ = LoggedStatement(LogEntry{Pid: 7, Message: "statement: INSERT INTO t VALUES ('a''b', 2, NULL)"})
	if !ok || s.SQL != "INSERT INTO t VALUES ($1, 2, NULL)" || s.Params[0].Text != "a'b" {
		t.Fatalf("simple protocol: %+v", s)
	}
	if _, ok, _ := LoggedStatement(LogEntry{Message: "duration: 0.1 ms"}); ok {
		t.Fatal("a duration is not a statement")
	}
}

func TestParametrize(t *testing.T) {
	sql, params := Parametrize("INSERT INTO \"it's\" (`a'`, b, c, d) VALUES ('x', 25000, X'00ff', 'y''z') -- 'q", Question)
	if sql != "INSERT INTO \"it's\" (`a'`, b, c, d) VALUES (?, 25000, X'00ff', ?) -- 'q" {
		t.Fatalf("sql: %s", sql)
	}
	// The comment's quote is unterminated: it is left as it was, not invented into a value.
	if len(params) != 2 || params[0].Text != "x" || params[1].Text != "y'z" {
		t.Fatalf("params: %+v", params)
	}
}

func TestCount(t *testing.T) {
	stmts := []Statement{
		{SQL: "begin", Session: "1"}, {SQL: "SELECT key", Session: "1"}, {SQL: "commit", Session: "1"},
		{SQL: "SELECT outside", Session: "2"},
		{SQL: "BEGIN IMMEDIATE", Session: "1"}, {SQL: "INSERT", Session: "1"}, {SQL: "SAVEPOINT a", Session: "1"},
		{SQL: "ROLLBACK TO SAVEPOINT a", Session: "1"}, {SQL: "UPDATE", Session: "1"}, {SQL: "COMMIT", Session: "1"},
	}
	want := Counts{Statements: 6, Transactions: 3, RoundTrips: 10}
	if got := Count(stmts); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

// Two conversions of seeded rows 17 and 42: what the server made up (ids, a code) must become
// fresh per replay, consistently across statements; what is about the row must follow the row;
// the clock and the constants must stay as captured.
func captures() (a, b []Statement) {
	one := func(n, pay, cnv, code, at string) []Statement {
		return []Statement{
			{SQL: "begin"},
			{SQL: "INSERT INTO payments VALUES ($1,$2,$3,$4,$5,$6)", Params: []Value{{Text: "pay_" + pay}, {Text: "prc_1"}, {Text: "INV-" + n}, {Text: at}, {Null: true}, {Text: ""}}},
			{SQL: "SELECT * FROM referrals WHERE email = $1", Params: []Value{{Text: "friend" + n + "@bench.example"}}},
			{SQL: "INSERT INTO rewards VALUES ($1,$2,$3)", Params: []Value{{Text: "cnv_" + cnv}, {Text: "AL-" + code}, {Text: "25000"}}},
			{SQL: "INSERT INTO events VALUES ($1)", Params: []Value{{Text: `{"id":"cnv_` + cnv + `","referral_id":"ref_00` + n + `","at":"` + at + `"}`}}},
			{SQL: "UPDATE payments SET conversion_id = $1 WHERE id = $2", Params: []Value{{Text: "cnv_" + cnv}, {Text: "pay_" + pay}}},
			{SQL: "commit"},
		}
	}
	return one(Marker(17), "01JAAA", "01JBBB", "XY7KQ2MN", "2026-03-01 10:00:00.123"),
		one(Marker(42), "01JCCC", "01JDDD", "P3RT9VWZ", "2026-03-01 10:00:00.456")
}

func TestBuild(t *testing.T) {
	a, b := captures()
	tpl, err := Build(a, b, Marker(17), Marker(42))
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Notes) != 0 {
		t.Fatalf("notes: %v", tpl.Notes)
	}
	if c := tpl.Counts(); c != (Counts{Statements: 5, Transactions: 1, RoundTrips: 7}) {
		t.Fatalf("counts: %+v", c)
	}
	k := int64(1234)
	got := func(i, j int) string { return tpl.Statements[i].Args[j].Text(k) }
	pay := got(1, 0)
	if !strings.HasPrefix(pay, "pay_u") || !strings.HasSuffix(pay, "x1234") || got(5, 1) != pay {
		t.Errorf("payment id: %q, later %q", pay, got(5, 1))
	}
	if cnv := got(3, 0); cnv == pay || got(5, 0) != cnv || !strings.Contains(got(4, 0), `"id":"`+cnv+`"`) {
		t.Errorf("conversion id %q not the same everywhere: %q %q", cnv, got(5, 0), got(4, 0))
	}
	if got(1, 1) != "prc_1" || got(3, 2) != "25000" || got(1, 3) != "2026-03-01 10:00:00.123" {
		t.Errorf("constants: %q %q %q", got(1, 1), got(3, 2), got(1, 3))
	}
	if got(1, 2) != "INV-"+Marker(k) || got(2, 0) != "friend"+Marker(k)+"@bench.example" ||
		!strings.Contains(got(4, 0), `"referral_id":"ref_00`+Marker(k)+`"`) {
		t.Errorf("seeded row: %q %q %q", got(1, 2), got(2, 0), got(4, 0))
	}
	if code := got(3, 1); !strings.HasPrefix(code, "AL-u") || code == "AL-XY7KQ2MN" {
		t.Errorf("reward code: %q", code)
	}
	if !tpl.Statements[1].Args[4].Null {
		t.Error("NULL lost")
	}
	if tpl.Kept != 2 { // the payment's time, and the same inside the event's JSON
		t.Errorf("kept %d values, want 2", tpl.Kept)
	}
	if tpl.Statements[1].Args[0].Text(1) == tpl.Statements[1].Args[0].Text(2) {
		t.Error("two replays share a payment id")
	}
}

func TestBuildRefusesDifferentRequests(t *testing.T) {
	a, b := captures()
	if _, err := Build(a, b[:len(b)-1], Marker(17), Marker(42)); err == nil {
		t.Error("different lengths accepted")
	}
	b[2].SQL = "SELECT 1"
	if _, err := Build(a, b, Marker(17), Marker(42)); err == nil {
		t.Error("different statements accepted")
	}
}

func TestBuildNotesWhatItCannotReplay(t *testing.T) {
	a := []Statement{{SQL: "SELECT $1, $2", Params: []Value{{Text: "a b c"}, {Null: true}}}}
	b := []Statement{{SQL: "SELECT $1, $2", Params: []Value{{Text: "a-b"}, {Text: "x"}}}}
	tpl, err := Build(a, b, Marker(1), Marker(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Notes) != 2 {
		t.Fatalf("notes: %v", tpl.Notes)
	}
}

func TestPGBench(t *testing.T) {
	a, b := captures()
	tpl, err := Build(a, b, Marker(17), Marker(42))
	if err != nil {
		t.Fatal(err)
	}
	types := [][]string{nil, {"text", "text", "text", "timestamp without time zone", "text", "text"}, {"text"},
		{"text", "text", "bigint"}, {"text"}, {"text", "text"}, nil}
	s, err := tpl.PGBench(types)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(s.Text), "\n")
	want := []string{
		`\set seq :seq + 1`,
		`\set k :base + (:seq - 1) * :clients + :client_id`,
		`begin;`,
		`INSERT INTO payments VALUES ((:v1 || :v2 || :k::text)::text,:v3,(:v4 || lpad(:k::text, 12, '0'))::text,:v5,NULL::text,''::text);`,
		`SELECT * FROM referrals WHERE email = (:v6 || lpad(:k::text, 12, '0') || :v7)::text;`,
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], w)
		}
	}
	if !reflect.DeepEqual(s.Defines[:7], []string{"v1=pay_", "v2=u1x", "v3=prc_1", "v4=INV-", "v5=2026-03-01 10:00:00.123", "v6=friend", "v7=@bench.example"}) {
		t.Errorf("defines: %v", s.Defines)
	}
	// pgbench would take a colon before a word inside a string literal for a variable: the
	// script holds no literal but lpad's '0' and the empty string.
	if rest := strings.NewReplacer("'0'", "", "''::", "").Replace(s.Text); strings.Contains(rest, "'") {
		t.Errorf("a literal in the script:\n%s", s.Text)
	}
	if _, err := tpl.PGBench(types[:3]); err == nil {
		t.Error("missing types accepted")
	}
	lit := tpl.LiteralSQL(2, 5, []string{"text"})
	if lit != "SELECT * FROM referrals WHERE email = 'friend000000000005@bench.example'::text" {
		t.Errorf("literal SQL: %s", lit)
	}
	if v := tpl.Values(1, 5); v[4] != nil || v[1] != "prc_1" {
		t.Errorf("values: %v", v)
	}
}
