package storage

import "context"

// FillNameKeys runs migration 10 again, for a test that emptied the column.
func FillNameKeys(ctx context.Context, db *DB) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := nameKeysUp(db.postgres)(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// MigrateTo applies the migrations up to version, for a test that needs an older schema.
func MigrateTo(ctx context.Context, db *DB, version int64) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}
