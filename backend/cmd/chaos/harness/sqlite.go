package harness

import (
	"database/sql"
	"net/url"

	_ "github.com/glebarez/go-sqlite" // database/sql driver "sqlite", the server's own engine
)

// OpenSQLite opens the server's SQLite file with a connection of chaos's own: another process,
// as an admin's sqlite3 shell or a backup job would be.
func OpenSQLite(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2)
	return db, nil
}
