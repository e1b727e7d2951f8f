// Package jsontest reads JSON documents as they were written, for tests that must see what a
// decoder hides: the order of names and the names given twice.
package jsontest

import (
	"bytes"
	"encoding/json"
	"io"
)

// Member is one name and value of a JSON object, as written.
type Member struct {
	Name  string
	Value json.RawMessage
}

// Members lists a JSON object's names and values in order, duplicates included; nil for
// anything that is not one well-formed object.
func Members(doc []byte) []Member {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var out []Member
	for dec.More() {
		tok, err := dec.Token()
		name, ok := tok.(string)
		var value json.RawMessage
		if err != nil || !ok || dec.Decode(&value) != nil {
			return nil
		}
		out = append(out, Member{name, value})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil
	}
	if _, err := dec.Token(); err != io.EOF { // nothing after the object
		return nil
	}
	return out
}
