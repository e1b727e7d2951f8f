package referral_test

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// shared is the one database the package's tests work in. Every test starts practices of its
// own, and the rules keep practices apart (TestTenancy checks that), so sharing costs no
// isolation while saving each test a new PostgreSQL database (about half a second each).
// Only a test of an operation that spans practices opens its own (mustIsolatedService).
var shared *storage.DB

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) (code int) {
	tb := &suiteTB{}
	defer tb.runCleanups()
	defer func() {
		if r := recover(); r != nil {
			if r != errSuiteFailed {
				panic(r)
			}
			code = 1
		}
	}()
	shared = testdb.MustOpen(tb)
	return m.Run()
}

var errSuiteFailed = errors.New("referral_test: setting up the shared database failed")

// suiteTB stands in for a testing.TB in TestMain, so the shared database comes from testdb
// like every other test database. It implements what testdb calls; anything else
// hits the nil embedded interface and panics.
type suiteTB struct {
	testing.TB
	dir      string
	cleanups []func()
}

func (*suiteTB) Helper()             {}
func (*suiteTB) Name() string        { return "referral_test.TestMain" }
func (tb *suiteTB) Cleanup(f func()) { tb.cleanups = append(tb.cleanups, f) }

func (*suiteTB) Errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "referral_test: "+format+"\n", args...)
}

func (tb *suiteTB) Fatalf(format string, args ...any) {
	tb.Errorf(format, args...)
	panic(errSuiteFailed)
}

func (tb *suiteTB) TempDir() string {
	if tb.dir == "" {
		dir, err := os.MkdirTemp("", "referral_test")
		if err != nil {
			tb.Fatalf("temp dir: %v", err)
		}
		tb.dir = dir
		tb.Cleanup(func() { os.RemoveAll(dir) })
	}
	return tb.dir
}

func (tb *suiteTB) runCleanups() {
	for i := len(tb.cleanups) - 1; i >= 0; i-- {
		tb.cleanups[i]()
	}
}
