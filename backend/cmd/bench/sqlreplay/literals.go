package sqlreplay

import (
	"strconv"
	"strings"
)

// Placeholder writes the n-th (1-based) parameter's placeholder.
type Placeholder func(n int) string

// Dollar is PostgreSQL's $n.
func Dollar(n int) string { return "$" + strconv.Itoa(n) }

// Question is SQLite's positional ?.
func Question(int) string { return "?" }

// Parametrize turns each string literal of sql into a placeholder and returns the literals as
// its parameters: SQLite's statement trace and PostgreSQL's simple protocol show values inline,
// and only parameters can be told apart from one request to the next. Numbers, NULL, quoted
// identifiers and blob literals (X'…') stay as they are.
func Parametrize(sql string, ph Placeholder) (string, []Value) {
	var out strings.Builder
	var params []Value
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case c == '"' || c == '`': // a quoted identifier: copied through, never a value
			end := strings.IndexByte(sql[i+1:], c)
			if end < 0 {
				out.WriteString(sql[i:])
				return out.String(), params
			}
			out.WriteString(sql[i : i+end+2])
			i += end + 1
		case c == '\'' && blobPrefix(sql, i): // a blob: copied through
			end := strings.IndexByte(sql[i+1:], '\'')
			if end < 0 {
				out.WriteString(sql[i:])
				return out.String(), params
			}
			out.WriteString(sql[i : i+end+2])
			i += end + 1
		case c == '\'':
			text, rest, err := quoted(sql[i:])
			if err != nil {
				out.WriteString(sql[i:])
				return out.String(), params
			}
			params = append(params, Value{Text: text})
			out.WriteString(ph(len(params)))
			i = len(sql) - len(rest) - 1
		default:
			out.WriteByte(c)
		}
	}
	return out.String(), params
}

// blobPrefix reports whether the quote at i opens a blob literal, X'…'.
func blobPrefix(sql string, i int) bool {
	if i == 0 || (sql[i-1] != 'x' && sql[i-1] != 'X') {
		return false
	}
	return i == 1 || !isWordByte(sql[i-2])
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// QuoteLiteral writes s as a SQL string literal.
func QuoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
