package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
)

// RequestHash is what an Idempotency-Key's request is known by: its method, path and body. A
// JSON body counts by its canonical form, so the same object re-ordered or re-indented by a
// client's retry is the same request; any other body counts as its bytes.
func RequestHash(method, path string, body []byte) string {
	h := sha256.New()
	io.WriteString(h, method+" "+path+"\n")
	h.Write(canonicalJSON(body))
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalJSON writes one JSON value with object names sorted (encoding/json sorts map keys),
// no insignificant whitespace, strings escaped one way and numbers exactly as written. A body
// that is not one JSON value is returned as it is.
func canonicalJSON(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	if _, err := dec.Token(); err != io.EOF {
		return body // more after the value: not one JSON value
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}
