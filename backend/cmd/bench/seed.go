package main

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
)

// seeder writes rows straight into the tables with SQL, many per statement. Every row is a
// copy of a template row the server made through its API, with the columns that make it
// itself (ids, names, emails, codes, status) computed from its row number n; the other
// columns are copied, so a column added by a later migration gets a value the server wrote.
// Rows are numbered once per database: row n's ids end in n zero-padded, which is a valid ULID
// of digits, and its emails and invoice carry sqlreplay.Marker(n).
type seeder struct {
	db       *sql.DB
	postgres bool
	next     int64
	copied   map[string][]string // table → columns it does not know, copied from the template
}

func newSeeder(db *sql.DB, postgres bool) *seeder {
	return &seeder{db: db, postgres: postgres, next: 1, copied: map[string][]string{}}
}

// alloc reserves count row numbers and returns the first.
func (s *seeder) alloc(count int) int64 {
	from := s.next
	s.next += int64(count)
	return from
}

// known are the columns the seed sets or may copy as they are; others are reported.
var known = map[string][]string{
	"advocates": {"id", "practice_id", "name", "email", "status", "code", "created_at", "updated_at"},
	"referrals": {"id", "practice_id", "advocate_id", "friend_name", "friend_email", "source", "status", "claimed_at", "converted_at",
		"friend_first_name", "friend_last_name"},
}

func (s *seeder) columns(ctx context.Context, table string) ([]string, error) {
	// Generated columns take no value (SQLite's table_info leaves them out).
	q := `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
		AND is_generated = 'NEVER' ORDER BY ordinal_position`
	if !s.postgres {
		q = "SELECT name FROM pragma_table_info(?)"
	}
	rows, err := s.db.QueryContext(ctx, q, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("bench: table %s has no columns", table)
	}
	return cols, rows.Err()
}

// unknown lists table's columns the seed does not know.
func (s *seeder) unknown(ctx context.Context, table string) ([]string, error) {
	cols, err := s.columns(ctx, table)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range cols {
		if !slices.Contains(known[table], c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// clone inserts copies of table's row template for n = from … from+count-1 (where holds, if
// given), with set's columns computed by SQL over g.n (the row number) and t (the template).
func (s *seeder) clone(ctx context.Context, table, template string, from int64, count int, set map[string]string, where string) error {
	cols, err := s.columns(ctx, table)
	if err != nil {
		return err
	}
	var names, exprs []string
	for _, c := range cols {
		names = append(names, `"`+c+`"`)
		if e, ok := set[c]; ok {
			exprs = append(exprs, e)
		} else {
			exprs = append(exprs, `t."`+c+`"`)
		}
	}
	for c := range set {
		if !slices.Contains(cols, c) {
			return fmt.Errorf("bench: the seed sets %s.%s, which no longer exists", table, c)
		}
	}
	if where != "" {
		where = " AND " + where
	}
	insert := "INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") SELECT " + strings.Join(exprs, ", ")
	var q string
	if s.postgres {
		q = insert + " FROM " + table + " t CROSS JOIN generate_series($1::bigint, $2::bigint) AS g(n) WHERE t.id = $3" + where
	} else {
		q = "WITH RECURSIVE g(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM g WHERE n < ?) " +
			insert + " FROM " + table + " t CROSS JOIN g WHERE t.id = ?" + where
	}
	res, err := s.db.ExecContext(ctx, q, from, from+int64(count)-1, template)
	if err != nil {
		return fmt.Errorf("bench: seed %d rows of %s: %w", count, table, err)
	}
	if n, _ := res.RowsAffected(); n == 0 && count > 0 {
		return fmt.Errorf("bench: seed %s: template row %s not found", table, template)
	}
	return nil
}

// pad is n zero-padded to width digits.
func (s *seeder) pad(n string, width int) string {
	if s.postgres {
		return "lpad((" + n + ")::text, " + strconv.Itoa(width) + ", '0')"
	}
	return "printf('%0" + strconv.Itoa(width) + "d', " + n + ")"
}

// id is the id of row n: prefix_ and 26 digits (seededID in SQL).
func (s *seeder) id(prefix, n string) string { return "'" + prefix + "_' || " + s.pad(n, 26) }

// seededID is the id of seeded row n.
func seededID(prefix string, n int64) string { return fmt.Sprintf("%s_%026d", prefix, n) }

// marker is row n's marker, as in its emails and invoice.
func (s *seeder) marker(n string) string { return s.pad(n, sqlreplay.MarkerWidth) }

// codeAlphabet is the referral code's: no 0/O/1/I/L.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// code is an 8-character code unique to n (n written in base 31).
func (s *seeder) code(n string) string {
	var parts []string
	div := int64(1)
	for range 8 {
		pos := "((" + n + ") / " + strconv.FormatInt(div, 10) + ") % 31 + 1"
		if s.postgres {
			pos = "(" + pos + ")::int"
		}
		parts = append(parts, "substr('"+codeAlphabet+"', "+pos+", 1)")
		div *= 31
	}
	return strings.Join(parts, " || ")
}

// pick is the n-th word of words (n modulo their count), in SQL.
func pick(n string, words []string) string {
	var b strings.Builder
	b.WriteString("CASE (" + n + ") % " + strconv.Itoa(len(words)))
	for i, w := range words {
		b.WriteString(" WHEN " + strconv.Itoa(i) + " THEN '" + w + "'")
	}
	b.WriteString(" END")
	return b.String()
}

// Friends and advocates have names from these; payers who are nobody's friend have the
// payer surnames, so their names never closely match a friend's (near-miss matching wants the
// same surname).
var (
	firstNames     = []string{"Ava", "Ben", "Chloe", "Dylan", "Emma", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kara", "Liam", "Maya", "Noah", "Olive", "Paul", "Quinn", "Rosa", "Sam", "Tara"}
	friendSurnames = []string{"Abbott", "Barnes", "Carter", "Dawson", "Ellis", "Foster", "Garcia", "Hayes", "Irwin", "Jensen", "Keller", "Lopez", "Moreno", "Nolan", "Owens", "Porter", "Reyes", "Sutton", "Turner", "Vance"}
	payerSurnames  = []string{"Quillfeather", "Wexley", "Zabrinski", "Yarborough", "Umbridge", "Xiong", "Vasquez-Ito", "Thistlewood", "Okonkwo", "Nakamura-Bell"}
)

func payerName(n int64) string {
	return firstNames[n%int64(len(firstNames))] + " " + payerSurnames[(n/7)%int64(len(payerSurnames))]
}

// friendNameSQL is row n's name in a practice's history.
func (s *seeder) friendNameSQL(n string) string {
	return pick(n, firstNames) + " || ' ' || " + pick("("+n+") / "+strconv.Itoa(len(firstNames)), friendSurnames)
}

// templates are the rows of one practice the seed copies.
type templates struct {
	practice, advocate, referral string
	// A converted referral's rows, for seeding a practice's history.
	convertedReferral, conversion, reward, payment string
}

// poolName is the name of every advocate and friend of a pool: the friends convert, and a
// conversion writes the referral's name back and names both in its event and email, so a name
// that is the same for all makes those the same in a replay as in the server.
const poolName = "Robin Pool"

// advocates seeds count advocates of practice p, row numbers from, …, named name (SQL).
func (s *seeder) advocates(ctx context.Context, p templates, practice string, from int64, count int, name string) error {
	if u, err := s.unknown(ctx, "advocates"); err != nil {
		return err
	} else if len(u) > 0 {
		s.copied["advocates"], name = u, "t.name"
	}
	return s.clone(ctx, "advocates", p.advocate, from, count, map[string]string{
		"id": s.id("adv", "g.n"), "practice_id": practice, "name": name,
		"email": "'adv' || " + s.marker("g.n") + " || '@bench.example'", "code": s.code("g.n"), "status": "'active'",
	}, "")
}

// referrals seeds count referrals of practice p, row numbers from, …, each to the advocate
// numbered advocate, with status and the friend named name (all SQL over g.n).
func (s *seeder) referrals(ctx context.Context, p templates, practice string, from int64, count int, advocate, status, name string) error {
	if u, err := s.unknown(ctx, "referrals"); err != nil {
		return err
	} else if len(u) > 0 {
		// Columns derived from the friend's name (a search key) would not fit a new name.
		s.copied["referrals"], name = u, "t.friend_name"
	}
	first, last := s.nameKeys(name)
	return s.clone(ctx, "referrals", p.referral, from, count, map[string]string{
		"id": s.id("ref", "g.n"), "practice_id": practice, "advocate_id": s.id("adv", advocate),
		"friend_name": name, "friend_email": "'friend' || " + s.marker("g.n") + " || '@bench.example'",
		"friend_first_name": first, "friend_last_name": last,
		"status":       status,
		"converted_at": "CASE WHEN " + status + " = 'pending' THEN CAST(NULL AS TIMESTAMP) ELSE t.claimed_at END",
	}, "")
}

// nameKeys are SQL for referral.NameKeys of name, for the seed's names: two words of ASCII
// letters, so lower-casing the words around the space folds them as the server does.
func (s *seeder) nameKeys(name string) (first, last string) {
	space := "instr(" + name + ", ' ')"
	if s.postgres {
		space = "strpos(" + name + ", ' ')"
	}
	return "lower(substr(" + name + ", 1, " + space + " - 1))", "lower(substr(" + name + ", " + space + " + 1))"
}

// pool seeds count friends of practice p with a pending referral each, from their own advocate,
// ready to convert; it returns the first row number.
func (s *seeder) pool(ctx context.Context, p templates, count int) (int64, error) {
	from := s.alloc(count)
	practice, name := quote(p.practice), quote(poolName)
	if err := s.advocates(ctx, p, practice, from, count, name); err != nil {
		return 0, err
	}
	if err := s.referrals(ctx, p, practice, from, count, "g.n", "'pending'", name); err != nil {
		return 0, err
	}
	return from, s.settle(ctx)
}

// settle leaves the database as it would be long after the seed: vacuumed, its statistics
// read, its dirty pages written. Otherwise the measurement right after a seed also measures
// autovacuum and a checkpoint catching up with it, for the server and pgbench alike.
func (s *seeder) settle(ctx context.Context) error {
	statements := []string{"VACUUM (ANALYZE) referrals, advocates", "CHECKPOINT"}
	if !s.postgres {
		statements = []string{"ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"}
	}
	for _, q := range statements {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("settle after seeding: %s: %w", q, err)
		}
	}
	return nil
}

// history seeds a practice's past: advocates, and referrals to them, the older half still
// pending and the newer half converted, with their payments, conversions and rewards. That is
// the shape in which the newest pending referrals lie deepest (the issue measured 500,000 rows
// thrown away to find a large practice's 1,000 newest pending ones).
func (s *seeder) history(ctx context.Context, p templates, advocates, referrals int) error {
	practice := quote(p.practice)
	a0 := s.alloc(advocates)
	if err := s.advocates(ctx, p, practice, a0, advocates, s.friendNameSQL("g.n")); err != nil {
		return err
	}
	r0 := s.alloc(referrals)
	newer := fmt.Sprintf("g.n >= %d", r0+int64(referrals/2))
	advocate := fmt.Sprintf("%d + (g.n - %d) %% %d", a0, r0, advocates)
	status := "CASE WHEN " + newer + " THEN 'converted' ELSE 'pending' END"
	if err := s.referrals(ctx, p, practice, r0, referrals, advocate, status, s.friendNameSQL("g.n")); err != nil {
		return err
	}
	invoice := "'INV-S' || " + s.marker("g.n")
	steps := []struct {
		table, template string
		set             map[string]string
	}{
		{"conversions", p.conversion, map[string]string{"id": s.id("cnv", "g.n"), "practice_id": practice,
			"referral_id": s.id("ref", "g.n"), "advocate_id": s.id("adv", advocate), "invoice_id": invoice, "invoice_key": invoice}},
		{"rewards", p.reward, map[string]string{"id": s.id("rwd", "g.n"), "practice_id": practice,
			"advocate_id": s.id("adv", advocate), "conversion_id": s.id("cnv", "g.n"), "code": "'AL-S' || " + s.code("g.n")}},
		{"payments", p.payment, map[string]string{"id": s.id("pay", "g.n"), "practice_id": practice,
			"invoice_id": invoice, "referral_id": s.id("ref", "g.n"), "conversion_id": s.id("cnv", "g.n")}},
	}
	for _, st := range steps {
		if err := s.clone(ctx, st.table, st.template, r0, referrals, st.set, newer); err != nil {
			return err
		}
	}
	return nil
}

// smallPractices seeds count practices (copies of p's practice) with advocates and pending
// referrals each.
func (s *seeder) smallPractices(ctx context.Context, p templates, count, advocates, referrals int) error {
	p0 := s.alloc(count)
	err := s.clone(ctx, "practices", p.practice, p0, count, map[string]string{
		"id": s.id("prc", "g.n"), "name": "'Small Spa ' || g.n", "slug": "'bench-small-' || g.n",
	}, "")
	if err != nil {
		return err
	}
	a0 := s.alloc(count * advocates)
	if err := s.advocates(ctx, p, s.id("prc", fmt.Sprintf("%d + (g.n - %d) / %d", p0, a0, advocates)), a0, count*advocates, s.friendNameSQL("g.n")); err != nil {
		return err
	}
	r0 := s.alloc(count * referrals)
	perAdvocate := referrals / advocates
	return s.referrals(ctx, p, s.id("prc", fmt.Sprintf("%d + (g.n - %d) / %d", p0, r0, referrals)), r0, count*referrals,
		fmt.Sprintf("%d + (g.n - %d) / %d", a0, r0, perAdvocate), "'pending'", s.friendNameSQL("g.n"))
}

// analyze refreshes the planner's statistics after a big seed.
func (s *seeder) analyze(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, "ANALYZE")
	return err
}

func quote(s string) string { return sqlreplay.QuoteLiteral(s) }

// matched is the payment of pool friend n: their email, so it converts their referral.
func matched(n int64) []byte {
	return mustJSON(map[string]string{"invoice_id": "INV-" + sqlreplay.Marker(n),
		"email": "friend" + sqlreplay.Marker(n) + "@bench.example", "amount": "250.00", "name": poolName})
}

// unmatched is the payment of payer n, nobody's friend, who gives a name (as most payers do).
func unmatched(n int64) []byte {
	return mustJSON(map[string]string{"invoice_id": "INV-U" + sqlreplay.Marker(n),
		"email": "payer" + sqlreplay.Marker(n) + "@pay.example", "amount": "120.00", "name": payerName(n)})
}

// since is a short duration for progress lines.
func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }
