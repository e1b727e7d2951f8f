package testdb

import (
	"context"
	"testing"

	"github.com/advocateloop/advocateloop/backend/storage"
)

// MustOpen opens a fresh, migrated database for tb and closes it when tb ends.
func MustOpen(tb testing.TB) *storage.DB {
	tb.Helper()
	return MustOpenURL(tb, URL(tb))
}

// MustOpenURL opens and migrates the database at url, closing it when tb ends; for tests that
// open one database twice, as two servers sharing it would.
func MustOpenURL(tb testing.TB, url string) *storage.DB {
	tb.Helper()
	db, err := storage.Open(url)
	if err != nil {
		tb.Fatalf("testdb: open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("testdb: migrate: %v", err)
	}
	return db
}
