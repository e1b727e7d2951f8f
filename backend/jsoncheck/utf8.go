package jsoncheck

import (
	"bytes"
	"unicode/utf8"
)

// MarkInvalidUTF8 writes every run of bytes that are not UTF-8 as the escape \u0000. Decoding
// would silently turn them into U+FFFD and store a mangled name; a NUL is what the domain's
// validation refuses, naming the field, whichever way the text came in. Outside a string the
// escape is a syntax error, as the bytes were.
func MarkInvalidUTF8(body []byte) []byte {
	if utf8.Valid(body) {
		return body
	}
	return bytes.ToValidUTF8(body, []byte(`\u0000`))
}
