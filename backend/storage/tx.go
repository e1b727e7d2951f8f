package storage

import (
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// tx implements referral.Tx on one gorm transaction.
type tx struct {
	g        *gorm.DB
	postgres bool
}

// Errors name what was being done and to which row, wrapped once with %w (so trouble() and
// conflict() still see the driver's error): "store: read advocate adv_…: …". what names the
// row, or rows, never by an email.

// first loads one row into dest; no row is not an error (found is false).
func first(q *gorm.DB, dest any, what string) (found bool, err error) {
	err = q.Take(dest).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: read %s: %w", what, err)
	}
	return true, nil
}

// insert adds a row unless a unique key is taken (inserted is false), without aborting the
// transaction: PostgreSQL would otherwise refuse every later statement in it.
func (t *tx) insert(row any, what string) (inserted bool, err error) {
	res := t.g.Clauses(clause.OnConflict{DoNothing: true}).Create(row)
	if res.Error != nil {
		return false, fmt.Errorf("store: insert %s: %w", what, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// insertNew adds a row whose key is new by construction (a fresh id, token or hash). Should
// the key be taken all the same, nothing was written, and nothing may go on as if it had
// been: that is an error.
func (t *tx) insertNew(row any, what string) error {
	inserted, err := t.insert(row, what)
	if err == nil && !inserted {
		err = fmt.Errorf("store: %s not inserted: a row with its key exists", what)
	}
	return err
}

// findAll runs q into rows of type R and converts each to the domain's T.
func findAll[R, T any](q *gorm.DB, convert func(*R) T, what string) ([]T, error) {
	var rows []R
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: list %s: %w", what, err)
	}
	out := make([]T, len(rows))
	for i := range rows {
		out[i] = convert(&rows[i])
	}
	return out, nil
}

// save writes every column of a row read before.
func (t *tx) save(row any, what string) error {
	if err := t.g.Save(row).Error; err != nil {
		return fmt.Errorf("store: update %s: %w", what, err)
	}
	return nil
}

// returning runs a statement that returns at most one row (an insert's RETURNING) into dest;
// found is false when it returned none. Not gorm's Scan, which formats every statement with
// its arguments for a logger even when nothing logs.
func (t *tx) returning(dest []any, query string, args ...any) (found bool, err error) {
	err = t.g.Raw(query, args...).Row().Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// page applies a cursor and a limit (plus one, to tell whether there is a next page).
func page(q *gorm.DB, table string, p referral.Page) *gorm.DB {
	if p.Cursor != "" {
		q = q.Where(table+".id < ?", p.Cursor)
	}
	return q.Order(table + ".id DESC").Limit(p.Limit + 1)
}

var _ referral.Store = (*DB)(nil)
