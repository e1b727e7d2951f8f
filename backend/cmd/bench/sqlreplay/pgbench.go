package sqlreplay

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Script is a pgbench script (for `pgbench -M prepared -f`) and the variables it needs,
// as -D name=value arguments. The caller adds base, clients and seq=0 (see PGBench).
type Script struct {
	Text    string
	Defines []string
}

var dollar = regexp.MustCompile(`\$([0-9]+)`)

// PGBench writes the template as a pgbench script that does a request's work once per
// transaction. types[i][j] is the type PostgreSQL gives statement i's parameter j (as it
// inferred it when the server prepared the statement).
//
// Each client numbers its transactions (seq) and works on seeded row
// k = base + (seq-1)·clients + client_id, so no two transactions of a run share a row, and a
// run needs rows base … base + clients·transactions. Constant values are pgbench variables,
// bound as parameters as the server binds them (but the empty string, which pgbench cannot
// define, is a typed literal); values about row k are SQL expressions over :k, cast to the
// parameter's type; NULL is a typed NULL.
func (t *Template) PGBench(types [][]string) (Script, error) {
	if len(types) != len(t.Statements) {
		return Script{}, fmt.Errorf("sqlreplay: %d statements but types for %d", len(t.Statements), len(types))
	}
	var s Script
	var b strings.Builder
	b.WriteString("\\set seq :seq + 1\n")
	b.WriteString("\\set k :base + (:seq - 1) * :clients + :client_id\n")
	names := map[string]string{} // constant value → variable
	variable := func(v string) string {
		name, ok := names[v]
		if !ok {
			name = fmt.Sprintf("v%d", len(names)+1)
			names[v] = name
			s.Defines = append(s.Defines, name+"="+v)
		}
		return ":" + name
	}
	for i, st := range t.Statements {
		if len(types[i]) != len(st.Args) {
			return Script{}, fmt.Errorf("sqlreplay: statement %d has %d parameters but %d types", i+1, len(st.Args), len(types[i]))
		}
		var failed error
		sql := dollar.ReplaceAllStringFunc(st.SQL, func(m string) string {
			n, _ := strconv.Atoi(m[1:])
			if n < 1 || n > len(st.Args) {
				failed = fmt.Errorf("sqlreplay: statement %d refers to %s of %d parameters", i+1, m, len(st.Args))
				return m
			}
			a, typ := st.Args[n-1], types[i][n-1]
			switch {
			case a.Null:
				return "NULL::" + typ
			case a.Constant() && a.Text(0) == "":
				return "''::" + typ // pgbench takes no empty variable
			case a.Constant():
				return variable(a.Text(0))
			default:
				return "(" + a.pgExpression(variable) + ")::" + typ
			}
		})
		if failed != nil {
			return Script{}, failed
		}
		b.WriteString(oneLine(sql))
		b.WriteString(";\n")
	}
	s.Text = b.String()
	return s, nil
}

// pgExpression is the SQL that computes the argument from :k. Its literal parts are
// variables too: pgbench would take ":word" inside a string literal for a variable.
func (a Arg) pgExpression(variable func(string) string) string {
	var parts []string
	for _, p := range a.Pieces {
		switch p.Kind {
		case Literal:
			parts = append(parts, variable(p.Text))
		case Seeded:
			parts = append(parts, fmt.Sprintf("lpad(:k::text, %d, '0')", MarkerWidth))
		case Fresh:
			parts = append(parts, variable(freshPrefix(p.Slot)), ":k::text")
		}
	}
	return strings.Join(parts, " || ")
}

// LiteralSQL is statement i about row k with every parameter written inline as a typed
// literal, for EXPLAIN.
func (t *Template) LiteralSQL(i int, k int64, types []string) string {
	st := t.Statements[i]
	return dollar.ReplaceAllStringFunc(st.SQL, func(m string) string {
		n, _ := strconv.Atoi(m[1:])
		if n < 1 || n > len(st.Args) || n > len(types) {
			return m
		}
		a := st.Args[n-1]
		if a.Null {
			return "NULL::" + types[n-1]
		}
		return QuoteLiteral(a.Text(k)) + "::" + types[n-1]
	})
}

// Values are statement i's parameters about row k, for a driver: nil for NULL, else text.
func (t *Template) Values(i int, k int64) []any {
	st := t.Statements[i]
	out := make([]any, len(st.Args))
	for n, a := range st.Args {
		if !a.Null {
			out[n] = a.Text(k)
		}
	}
	return out
}
