package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// fillNameKeys is migration 10: it folds the first and last names of every referral made
// before migration 9 added their columns. Folding is Go's (referral.NameKeys), not SQL's.
// It reads a page of referrals at a time, then writes that page.
func fillNameKeys(postgres bool) *goose.Migration {
	return goose.NewGoMigration(10, &goose.GoFunc{RunTx: nameKeysUp(postgres)},
		&goose.GoFunc{RunTx: func(context.Context, *sql.Tx) error { return nil }})
}

func nameKeysUp(postgres bool) func(context.Context, *sql.Tx) error {
	mark := func(n int) string { return "?" }
	if postgres {
		mark = func(n int) string { return fmt.Sprintf("$%d", n) }
	}
	read := "SELECT id, friend_name FROM referrals WHERE id > " + mark(1) + " AND friend_last_name = '' ORDER BY id LIMIT 500"
	write := "UPDATE referrals SET friend_first_name = " + mark(1) + ", friend_last_name = " + mark(2) + " WHERE id = " + mark(3)
	return func(ctx context.Context, tx *sql.Tx) error {
		for after := ""; ; {
			names, err := referralNames(ctx, tx, read, after)
			if err != nil || len(names) == 0 {
				return err
			}
			for _, n := range names {
				first, last := referral.NameKeys(n.name)
				if _, err := tx.ExecContext(ctx, write, first, last, n.id); err != nil {
					return fmt.Errorf("store: fill names of referral %s: %w", n.id, err)
				}
				after = n.id
			}
		}
	}
}

type referralName struct{ id, name string }

func referralNames(ctx context.Context, tx *sql.Tx, query, after string) ([]referralName, error) {
	rows, err := tx.QueryContext(ctx, query, after)
	if err != nil {
		return nil, fmt.Errorf("store: read referrals' names: %w", err)
	}
	defer rows.Close()
	var names []referralName
	for rows.Next() {
		var n referralName
		if err := rows.Scan(&n.id, &n.name); err != nil {
			return nil, fmt.Errorf("store: read referrals' names: %w", err)
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
