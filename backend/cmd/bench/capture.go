package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
)

// recorder runs fn and returns the statements the server issued meanwhile.
type recorder func(fn func() error) ([]sqlreplay.Statement, error)

// captured is one kind of request, captured twice and made a template.
type captured struct {
	kind  string
	first []sqlreplay.Statement
	tpl   *sqlreplay.Template
}

// captureTwice records the requests about rows a and b (send sends one), checks each capture
// holds its request (its marker is in it), and compares them.
func captureTwice(kind string, record recorder, send func(n int64) error, a, b int64) (*captured, error) {
	var caps [2][]sqlreplay.Statement
	for i, n := range []int64{a, b} {
		stmts, err := record(func() error { return send(n) })
		if err != nil {
			return nil, fmt.Errorf("bench: capture a %s request: %w", kind, err)
		}
		if !mentions(stmts, sqlreplay.Marker(n)) {
			return nil, fmt.Errorf("bench: the capture of a %s request holds %d statements, none about it (was the statement log on?)", kind, len(stmts))
		}
		caps[i] = stmts
	}
	tpl, err := sqlreplay.Build(caps[0], caps[1], sqlreplay.Marker(a), sqlreplay.Marker(b))
	if err != nil {
		return nil, err
	}
	return &captured{kind: kind, first: caps[0], tpl: tpl}, nil
}

func mentions(stmts []sqlreplay.Statement, marker string) bool {
	for _, s := range stmts {
		for _, p := range s.Params {
			if strings.Contains(p.Text, marker) {
				return true
			}
		}
	}
	return false
}

// listing is a capture written out for people: each statement with its session and values.
func (c *captured) listing() string {
	var b strings.Builder
	counts := c.tpl.Counts()
	fmt.Fprintf(&b, "-- %s request: %d statements, %d transactions, %d round trips\n", c.kind,
		counts.Statements, counts.Transactions, counts.RoundTrips)
	for _, n := range c.tpl.Notes {
		fmt.Fprintf(&b, "-- NOT FAITHFUL: %s\n", n)
	}
	for i, s := range c.first {
		fmt.Fprintf(&b, "\n-- %d. session %s\n%s;\n", i+1, s.Session, s.SQL)
		for j, p := range s.Params {
			v := "NULL"
			if !p.Null {
				v = sqlreplay.QuoteLiteral(p.Text)
			}
			kind := "constant"
			if a := c.tpl.Statements[i].Args[j]; !a.Constant() {
				kind = "per request"
			}
			fmt.Fprintf(&b, "--   $%d = %s  (%s)\n", j+1, v, kind)
		}
	}
	return b.String()
}

// paramTypes asks PostgreSQL what type each parameter of each statement has, by preparing the
// statements as the server did (no types given, so PostgreSQL infers the same ones).
func paramTypes(ctx context.Context, url string, tpl *sqlreplay.Template) ([][]string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	out := make([][]string, len(tpl.Statements))
	for i, s := range tpl.Statements {
		if len(s.Args) == 0 {
			continue
		}
		desc, err := conn.Prepare(ctx, "", s.SQL)
		if err != nil {
			return nil, fmt.Errorf("bench: prepare statement %d: %w", i+1, err)
		}
		for _, oid := range desc.ParamOIDs {
			var name string
			if err := conn.QueryRow(ctx, "SELECT format_type($1::oid, NULL)", oid).Scan(&name); err != nil {
				return nil, err
			}
			out[i] = append(out[i], name)
		}
	}
	return out, nil
}
