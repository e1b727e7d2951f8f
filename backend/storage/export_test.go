package storage

import "context"

// FillLastNames runs migration 10 again, for a test that emptied the column.
func FillLastNames(ctx context.Context, db *DB) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := lastNamesUp(db.postgres)(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}
