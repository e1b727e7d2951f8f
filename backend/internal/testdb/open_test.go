package testdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// MustOpen hands over a migrated database (readiness writes to a table a migration makes)
// and closes it when the test ends.
func TestMustOpenGivesAMigratedDatabaseClosedAtTheEnd(t *testing.T) {
	var db *storage.DB
	t.Run("owner", func(t *testing.T) {
		db = testdb.MustOpen(t)
		if err := db.Ready(context.Background(), time.Now()); err != nil {
			t.Fatalf("new database is not migrated: %v", err)
		}
	})
	if err := db.SQL().PingContext(context.Background()); err == nil {
		t.Fatal("database still open after its test ended")
	}
}
