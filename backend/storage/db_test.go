package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// Several servers starting at once against one database all migrate without error, and
// migrating an up-to-date database changes nothing.
func TestMigrateConcurrentlyAndAgain(t *testing.T) {
	url := testdb.URL(t)
	const servers = 3
	var wg sync.WaitGroup
	errs := make([]error, servers)
	for i := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := storage.Open(url)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			errs[i] = db.Migrate(context.Background())
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("server %d: %v", i, err)
		}
	}
	db, err := storage.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrating again: %v", err)
	}
	if err := db.Ready(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
}

// An unknown scheme is refused rather than taken for a file name.
func TestOpenRefusesUnknownScheme(t *testing.T) {
	if _, err := storage.Open("mysql://localhost/advocateloop"); err == nil {
		t.Fatal("mysql:// was accepted")
	}
}
