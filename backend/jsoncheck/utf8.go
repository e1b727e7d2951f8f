package jsoncheck

import (
	"unicode/utf8"
)

// MarkInvalidUTF8 writes every run of bytes that are not UTF-8 as the escape \u0000. Decoding
// would silently turn them into U+FFFD and store a mangled name; a NUL is what the domain's
// validation refuses, naming the field, whichever way the text came in. Outside a string the
// escape is a syntax error, as the bytes were; right after a backslash the bytes stay, so that
// the broken escape stays a syntax error rather than becoming an escaped backslash.
func MarkInvalidUTF8(body []byte) []byte {
	if utf8.Valid(body) {
		return body
	}
	out := make([]byte, 0, len(body)+8)
	escaping, marked := false, false // after an odd run of backslashes; inside a marked run
	for len(body) > 0 {
		r, size := utf8.DecodeRune(body)
		switch {
		case r == utf8.RuneError && size <= 1 && escaping:
			out, escaping = append(out, body[0]), false
		case r == utf8.RuneError && size <= 1:
			if !marked {
				out = append(out, `\u0000`...)
			}
			marked = true
			body = body[1:]
			continue
		default:
			out = append(out, body[:size]...)
			escaping = r == '\\' && !escaping
		}
		marked = false
		body = body[size:]
	}
	return out
}
