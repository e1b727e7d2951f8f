package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	sqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// unavailable turns trouble in the database into referral.EUnavailable, which callers answer
// with 503 and Retry-After; any other error is returned as it is.
func unavailable(err error) error {
	if err == nil || !trouble(err) || referral.ErrorCode(err) != "" {
		return err
	}
	return referral.Unavailable(err)
}

// trouble reports whether err is the database being unreachable, read-only, out of space,
// locked or too slow for the request's deadline, rather than a bug in what we asked of it.
func trouble(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || connectionLost(err) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "25006", // read-only transaction: a standby, or default_transaction_read_only
			"40001", "40P01", // still conflicting after InTx's retries
			"55P03", // lock not available
			"57014": // statement cancelled or timed out
			return true
		}
		// Class 53: out of disk, memory or connections; class 58: I/O errors.
		return strings.HasPrefix(pg.Code, "53") || strings.HasPrefix(pg.Code, "58")
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff { // the primary code, without the extended bits
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_READONLY,
			sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL,
			sqlite3.SQLITE_INTERRUPT:
			return true
		}
	}
	return false
}

// connectionLost reports that the connection went away under us: PostgreSQL was stopped or
// restarted, or the session was terminated (pg_terminate_backend). The server rolls back a
// transaction whose connection is gone, so running it again on a fresh connection is safe; in
// the rare case the loss came just after a COMMIT took effect, running it again is a replay,
// which every operation answers with what the first run did.
func connectionLost(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// Class 08: connection exceptions; 57P01-03: admin or crash shutdown, cannot connect now.
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03"
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connect) || errors.As(err, &netErr) || pgconn.SafeToRetry(err) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// staleStatement reports a statement pgx prepared on a connection before a migration changed
// the columns it returns (a newer server migrated while this one ran). pgx has dropped it
// from the connection's cache; running the transaction again prepares it anew.
func staleStatement(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "0A000" && strings.Contains(pg.Message, "cached plan")
}

// busySQLite reports SQLite's writer lock held by another process past the busy timeout.
func busySQLite(err error) bool {
	var lite *sqlite.Error
	return errors.As(err, &lite) && lite.Code()&0xff == sqlite3.SQLITE_BUSY
}
