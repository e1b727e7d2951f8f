package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// explained is one statement's plan, summarised.
type explained struct {
	kind      string // matched or unmatched
	n         int    // the statement's place in its request
	statement string // its first words
	plan      string // the top node and every scan
	removed   int64  // rows read and thrown away by filters
	ms        float64
}

// explain runs a captured request's statements about seeded row k in one transaction, each
// under EXPLAIN (ANALYZE, BUFFERS), and rolls it back. Values are written inline with their
// parameter types, so the plans are custom plans for these values. It returns the summaries
// and the plans in full.
func explain(ctx context.Context, url string, c *captured, k int64) ([]explained, string, error) {
	types, err := paramTypes(ctx, url, c.tpl)
	if err != nil {
		return nil, "", err
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var out []explained
	var full strings.Builder
	for i, st := range c.tpl.Statements {
		if !explainable(st.SQL) {
			continue
		}
		sql := c.tpl.LiteralSQL(i, k, types[i])
		rows, err := tx.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+sql)
		if err != nil {
			return nil, "", fmt.Errorf("bench: explain statement %d: %w", i+1, err)
		}
		var lines []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return nil, "", err
			}
			lines = append(lines, line)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, "", fmt.Errorf("bench: explain statement %d: %w", i+1, err)
		}
		fmt.Fprintf(&full, "-- %s request, statement %d\n%s;\n%s\n\n", c.kind, i+1, sql, strings.Join(lines, "\n"))
		e := summarisePlan(lines)
		e.kind, e.n, e.statement = c.kind, i+1, firstWords(st.SQL, 9)
		out = append(out, e)
	}
	return out, full.String(), nil
}

func explainable(sql string) bool {
	w := strings.Fields(strings.ToUpper(sql))
	return len(w) > 0 && (w[0] == "SELECT" || w[0] == "INSERT" || w[0] == "UPDATE" || w[0] == "DELETE" || w[0] == "WITH")
}

var (
	planNode    = regexp.MustCompile(`^\s*(?:->\s+)?([A-Z][A-Za-z ]*?(?: using \S+)?(?: on \S+(?: \S+)?)?)\s+\(cost=`)
	removedRows = regexp.MustCompile(`Rows Removed by (?:Filter|Join Filter|Index Recheck): ([0-9]+)`)
	execTime    = regexp.MustCompile(`Execution Time: ([0-9.]+) ms`)
)

// summarisePlan reads EXPLAIN's text: the top node, every scan, the rows filters threw away,
// the execution time.
func summarisePlan(lines []string) explained {
	var e explained
	var nodes []string
	for i, line := range lines {
		if m := planNode.FindStringSubmatch(line); m != nil && (i == 0 || strings.Contains(m[1], "Scan")) {
			nodes = append(nodes, m[1])
		}
		if m := removedRows.FindStringSubmatch(line); m != nil {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			e.removed += n
		}
		if m := execTime.FindStringSubmatch(line); m != nil {
			e.ms, _ = strconv.ParseFloat(m[1], 64)
		}
	}
	e.plan = strings.Join(nodes, "; ")
	return e
}

func firstWords(sql string, n int) string {
	w := strings.Fields(sql)
	if len(w) > n {
		return strings.Join(w[:n], " ") + " …"
	}
	return strings.Join(w, " ")
}
