package sqlreplay

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// LogEntry is one line of PostgreSQL's jsonlog (log_destination=jsonlog), the fields used here.
type LogEntry struct {
	Pid     int    `json:"pid"`
	App     string `json:"application_name"`
	Message string `json:"message"`
	Detail  string `json:"detail"`
}

// ReadLog reads a jsonlog file's entries. A line that is not JSON (a torn last line) ends it.
func ReadLog(r io.Reader) ([]LogEntry, error) {
	var entries []LogEntry
	lines := bufio.NewScanner(r)
	lines.Buffer(make([]byte, 1<<20), 64<<20)
	for lines.Scan() {
		var e LogEntry
		if err := json.Unmarshal(lines.Bytes(), &e); err != nil {
			break
		}
		entries = append(entries, e)
	}
	return entries, lines.Err()
}

// execute is how log_statement=all logs the extended protocol: "execute <name>: SQL", the
// name being a prepared statement's (and "/portal" when one is named).
var execute = regexp.MustCompile(`(?s)^execute [^\s:]+(?:/[^\s:]+)?: (.*)$`)

// LoggedStatement is the statement a log entry records, if it records one: "statement: SQL"
// (the simple protocol, literals inline, which become parameters here) or "execute …: SQL"
// with its parameters in the entry's detail.
func LoggedStatement(e LogEntry) (Statement, bool, error) {
	session := strconv.Itoa(e.Pid)
	if sql, ok := strings.CutPrefix(e.Message, "statement: "); ok {
		sql, params := Parametrize(sql, Dollar)
		return Statement{SQL: sql, Params: params, Session: session}, true, nil
	}
	m := execute.FindStringSubmatch(e.Message)
	if m == nil {
		return Statement{}, false, nil
	}
	params, err := ParseParams(e.Detail)
	if err != nil {
		return Statement{}, false, fmt.Errorf("sqlreplay: parameters of %.60q: %w", m[1], err)
	}
	return Statement{SQL: m[1], Params: params, Session: session}, true, nil
}

// ParseParams reads PostgreSQL's "parameters: $1 = 'a', $2 = NULL" detail, in order.
func ParseParams(detail string) ([]Value, error) {
	rest, ok := strings.CutPrefix(detail, "parameters: ")
	if !ok {
		if strings.TrimSpace(detail) == "" {
			return nil, nil
		}
		return nil, fmt.Errorf("detail %.40q does not list parameters", detail)
	}
	var out []Value
	for len(rest) > 0 {
		var n int
		var after string
		if _, err := fmt.Sscanf(rest, "$%d = ", &n); err != nil {
			return nil, fmt.Errorf("expected $n = at %.20q", rest)
		}
		_, after, _ = strings.Cut(rest, " = ")
		if n != len(out)+1 {
			return nil, fmt.Errorf("parameter $%d out of order", n)
		}
		var v Value
		switch {
		case strings.HasPrefix(after, "NULL"):
			v.Null, rest = true, after[len("NULL"):]
		case strings.HasPrefix(after, "'"):
			text, tail, err := quoted(after)
			if err != nil {
				return nil, fmt.Errorf("$%d: %w", n, err)
			}
			v.Text, rest = text, tail
		default:
			return nil, fmt.Errorf("$%d: unexpected %.20q", n, after)
		}
		out = append(out, v)
		rest = strings.TrimPrefix(rest, ", ")
	}
	return out, nil
}

// quoted reads one SQL string literal at the start of s (a doubled quote stands for one) and
// returns its text and what follows it.
func quoted(s string) (text, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), s[i+1:], nil
	}
	return "", "", fmt.Errorf("unterminated string %.20q", s)
}
