// Package jsoncheck finds what encoding/json lets through silently: a name given twice in one
// object, where the last one would win ({"amount":"1.00","amount":"999.00"}). The API and the
// webhook reader refuse such a body rather than guess which value the sender meant.
package jsoncheck

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
)

// DuplicateName returns the path ("amount", "patient.email", "items[2].name") of the first
// member name that appears twice in one object, looking depth levels deep (1 is the top object
// only; 0 or less, every level; an array is a level too). A body that is not valid JSON has no
// duplicate: the caller's decoding reports it.
func DuplicateName(body []byte, depth int) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers are skipped, never parsed
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		if name, ok := tok.(string); ok && len(stack) > 0 && stack[len(stack)-1].wantName {
			n, top := len(stack), stack[len(stack)-1]
			top.name, top.wantName = name, false
			if depth <= 0 || n <= depth {
				// encoding/json matches names without regard to case ("AMOUNT", even "ſtatus"
				// with a long s), so those are the same member too.
				key := fold(name)
				if top.names[key] {
					return top.child(), true
				}
				top.names[key] = true
			}
			continue
		}
		path := ""
		if n := len(stack); n > 0 {
			path = stack[n-1].child()
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{path: path, names: map[string]bool{}, wantName: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{path: path, array: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return "", false
			}
		}
		stack[len(stack)-1].next()
	}
}

// frame is an object or array being read.
type frame struct {
	path     string
	array    bool
	index    int             // an array's current element
	names    map[string]bool // an object's member names so far
	name     string          // an object's current member
	wantName bool            // an object's next token is a member name
}

// child is the path of the value being read in f.
func (f *frame) child() string {
	switch {
	case f.array:
		return f.path + "[" + strconv.Itoa(f.index) + "]"
	case f.path == "":
		return f.name
	}
	return f.path + "." + f.name
}

// next moves f past one value.
func (f *frame) next() {
	if f.array {
		f.index++
	} else {
		f.wantName = true
	}
}

// fold writes every letter as the smallest of the letters Unicode folds it with, so two names
// strings.EqualFold calls equal are one string.
func fold(name string) string {
	var b strings.Builder
	for _, r := range name {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}
