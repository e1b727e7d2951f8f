package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// digest counts the rows of every table hostile input could write, and lists the advocates'
// names and statuses, which a PATCH could change.
func digest(ctx context.Context, db *sql.DB) (string, error) {
	var out strings.Builder
	for _, table := range storedTables {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			return "", err
		}
		fmt.Fprintf(&out, "%s=%d ", table, n)
	}
	rows, err := db.QueryContext(ctx, "SELECT id || ':' || name || ':' || status FROM advocates ORDER BY id")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var advocate string
		if err := rows.Scan(&advocate); err != nil {
			return "", err
		}
		out.WriteString(strings.ReplaceAll(advocate, " ", "_") + " ")
	}
	return out.String(), rows.Err()
}

// storedTables hold what requests store; idempotency keys, webhook receipts and sign-in
// failures record refusals too, and are left out.
var storedTables = []string{"advocates", "referrals", "payments", "refunds", "conversions", "rewards", "near_misses",
	"hooks", "events", "deliveries", "messages", "sign_in_links", "staff", "api_keys", "practices"}

func diff(before, after string) string {
	b, a := strings.Fields(before), strings.Fields(after)
	var changed []string
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			changed = append(changed, b[i]+" → "+a[i])
		}
	}
	return strings.Join(changed, ", ")
}

// cleanText fails when any stored text holds a NUL or bytes that are not UTF-8.
func cleanText(ctx context.Context, db *sql.DB, t *harness.Tally) error {
	return eachText(ctx, db, func(table, column, text string) {
		if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
			t.Fail("%s.%s holds a NUL or bytes that are not UTF-8", table, column)
		}
	})
}

// eachText calls fn with every text value stored in the tables requests write.
func eachText(ctx context.Context, db *sql.DB, fn func(table, column, text string)) error {
	for _, table := range storedTables {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			return err
		}
		cols, _ := rows.Columns()
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return err
			}
			for i, v := range values {
				var text string
				switch v := v.(type) {
				case string:
					text = v
				case []byte:
					text = string(v)
				default:
					continue
				}
				fn(table, cols[i], text)
			}
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return err
		}
		rows.Close()
	}
	return nil
}
