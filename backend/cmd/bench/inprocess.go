package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"

	gosqlite "github.com/glebarez/go-sqlite"

	"github.com/advocateloop/advocateloop/backend/app"
	"github.com/advocateloop/advocateloop/backend/cmd/bench/sqlreplay"
	"github.com/advocateloop/advocateloop/backend/config"
)

// inProcess is the server's own code (backend/app: configuration, storage, rules, HTTP
// handler) running in the bench's process, without its background workers. The bench uses it
// where only this process can see: SQLite's statements (the server has no switch to log them,
// and the embedded database has no server log), and the allocations a request makes.
type inProcess struct {
	app     *app.App
	handler http.Handler
	trace   *traceLog
	slog    *slog.Logger // the default logger before, restored on close
}

// openInProcess opens the app on databaseURL, configured as the bench's servers are. With
// trace, the SQLite driver's statement trace (glebarez/go-sqlite's LogSqlStatements, which
// writes each statement with its values to the standard logger) is on for its connections.
func openInProcess(ctx context.Context, databaseURL string, trace bool) (*inProcess, error) {
	vars := append([]string{"DATABASE_URL=" + databaseURL}, serverEnv...)
	for _, v := range vars {
		name, value, _ := strings.Cut(v, "=")
		if err := os.Setenv(name, value); err != nil {
			return nil, err
		}
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return nil, err
	}
	p := &inProcess{}
	if trace {
		// The trace goes to the standard logger, which slog's default writes to as well:
		// the app's own logs go nowhere meanwhile.
		p.slog = slog.Default()
		slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
		p.trace = &traceLog{}
		log.SetFlags(0)
		log.SetPrefix(traceMark)
		log.SetOutput(p.trace)
		gosqlite.LogSqlStatements = true // read when a connection opens
		defer func() { gosqlite.LogSqlStatements = false }()
	}
	if p.app, err = app.Open(ctx, cfg); err != nil {
		p.close()
		return nil, err
	}
	if p.handler, err = p.app.Handler(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *inProcess) close() {
	if p.app != nil {
		p.app.Close()
	}
	if p.trace != nil {
		log.SetOutput(os.Stderr)
		log.SetPrefix("")
		log.SetFlags(log.LstdFlags)
		slog.SetDefault(p.slog)
	}
}

func (p *inProcess) caller(key string) caller { return handlerCaller(p.handler, key) }

// record runs fn and returns the statements the driver traced meanwhile; one connection
// serves the app on SQLite, and no workers run, so they are all fn's.
func (p *inProcess) record(fn func() error) ([]sqlreplay.Statement, error) {
	from := p.trace.len()
	if err := fn(); err != nil {
		return nil, err
	}
	var out []sqlreplay.Statement
	for _, entry := range strings.Split(p.trace.since(from), traceMark) {
		entry = strings.TrimSpace(entry)
		if entry == "" || entry == "new connection" {
			continue
		}
		sql, params := sqlreplay.Parametrize(entry, sqlreplay.Question)
		out = append(out, sqlreplay.Statement{SQL: sql, Params: params, Session: "sqlite"})
	}
	return out, nil
}

// traceMark starts each traced statement (a statement may span lines).
const traceMark = "\x1e"

type traceLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *traceLog) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Write(p)
}

func (t *traceLog) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Len()
}

func (t *traceLog) since(from int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()[from:]
}
