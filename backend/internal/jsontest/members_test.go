package jsontest

import (
	"fmt"
	"testing"
)

func TestMembers(t *testing.T) {
	for doc, want := range map[string]string{
		`{"a": 1, "b": {"c": 2}, "a": "x"}`: `[{a 1} {b {"c": 2}} {a "x"}]`,
		`{}`:                                `[]`,
		`[1]`:                               `[]`,
		`{"a": 1`:                           `[]`,
		`{"a" 1}`:                           `[]`,
		`{"a": 1} {}`:                       `[]`,
	} {
		got := Members([]byte(doc))
		if s := fmt.Sprint(toText(got)); s != want {
			t.Errorf("Members(%s) = %s, want %s", doc, s, want)
		}
	}
}

func toText(ms []Member) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, "{"+m.Name+" "+string(m.Value)+"}")
	}
	return out
}
