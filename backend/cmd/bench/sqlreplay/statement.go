// Package sqlreplay turns the statements one request sent to the database, as the database
// logged them, into something that can run again and again doing the same work: a pgbench
// script for PostgreSQL, or values for a Go loop on SQLite. It knows nothing of AdvocateLoop's
// tables: what changes from one request to the next is found by comparing two captures.
package sqlreplay

import (
	"strings"
)

// Statement is one statement as the database received it: SQL with placeholders ($1… on
// PostgreSQL, ? on SQLite) and the values bound to them.
type Statement struct {
	SQL     string
	Params  []Value
	Session string // the connection that ran it (a PostgreSQL backend's pid)
}

// Value is one bound parameter, as text (how PostgreSQL logs it and SQLite expands it).
type Value struct {
	Text string
	Null bool
}

// Kind says whether a statement opens or ends a transaction.
type Kind int

const (
	Other Kind = iota
	Begin
	Commit // COMMIT, END or ROLLBACK (not ROLLBACK TO a savepoint)
)

// Kind classifies the statement by its first words.
func (s Statement) Kind() Kind {
	words := strings.Fields(strings.ToUpper(s.SQL))
	if len(words) == 0 {
		return Other
	}
	switch words[0] {
	case "BEGIN":
		return Begin
	case "START":
		if len(words) > 1 && strings.HasPrefix(words[1], "TRANSACTION") {
			return Begin
		}
	case "COMMIT", "END":
		return Commit
	case "ROLLBACK", "ABORT":
		if len(words) > 1 && strings.HasPrefix(words[1], "TO") {
			return Other
		}
		return Commit
	}
	return Other
}

// Counts are what one request cost the database.
type Counts struct {
	Statements   int // excluding BEGIN and COMMIT
	Transactions int // BEGIN…COMMIT blocks plus statements outside any
	RoundTrips   int // every statement, BEGIN and COMMIT included
}

// Count counts a request's statements, transactions and round trips. Each session is followed
// on its own, since a request may use a connection for its key and another for its work.
func Count(stmts []Statement) Counts {
	var c Counts
	inTx := map[string]bool{}
	for _, s := range stmts {
		c.RoundTrips++
		switch s.Kind() {
		case Begin:
			c.Transactions++
			inTx[s.Session] = true
		case Commit:
			inTx[s.Session] = false
		default:
			c.Statements++
			if !inTx[s.Session] {
				c.Transactions++ // autocommit: a transaction of its own
			}
		}
	}
	return c
}
