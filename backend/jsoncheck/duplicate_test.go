package jsoncheck_test

import (
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/jsoncheck"
)

func TestDuplicateName(t *testing.T) {
	for _, c := range []struct {
		body  string
		depth int
		want  string // "" for none
	}{
		{`{"amount":"1.00","amount":"999.00"}`, 0, "amount"},
		{`{"amount":"1.00","Amount":"999.00"}`, 0, "Amount"},    // encoding/json reads both as amount
		{`{"status":"paid","\u017ftatus":"open"}`, 0, "ſtatus"}, // a long s folds to s too
		{`{"a":1,"b":{"c":1,"d":[1,2,{"e":1}]},"f":"amount"}`, 0, ""},
		{`{"patient":{"email":"a@x","email":"b@x"}}`, 0, "patient.email"},
		{`{"patient":{"email":"a@x","email":"b@x"}}`, 2, "patient.email"},
		{`{"patient":{"email":"a@x","email":"b@x"}}`, 1, ""},
		{`{"items":[{"name":"a"},{"name":"b","name":"c"}]}`, 0, "items[1].name"},
		{`{"items":[{"name":"b","name":"c"}]}`, 2, ""}, // inside an array: a level deeper
		{`{"a":{"x":1},"b":{"x":1},"x":1}`, 0, ""},     // the same name in different objects
		{`{"a":[],"b":{},"c":null,"a":true}`, 0, "a"},
		{`{"a\u0062":1,"ab":2}`, 0, "ab"}, // escapes are compared decoded
		{`{"amount":1,"amount":`, 0, "amount"},
		{`{"amount":1 "amount":2}`, 0, ""}, // not JSON: the decoder stops first
		{`[{"a":1,"a":2}]`, 0, "[0].a"},
		{`not json`, 0, ""},
		{``, 0, ""},
	} {
		got, dup := jsoncheck.DuplicateName([]byte(c.body), c.depth)
		if got != c.want || dup != (c.want != "") {
			t.Errorf("DuplicateName(%s, %d) = %q, %v; want %q", c.body, c.depth, got, dup, c.want)
		}
	}
}

// Deep nesting costs a frame per level and nothing more.
func TestDuplicateNameDeep(t *testing.T) {
	body := strings.Repeat(`{"a":`, 10000) + `{"b":1,"b":2}` + strings.Repeat(`}`, 10000)
	if got, dup := jsoncheck.DuplicateName([]byte(body), 0); !dup || !strings.HasSuffix(got, "a.b") {
		t.Errorf("deep duplicate: %q, %v", got[max(0, len(got)-10):], dup)
	}
	if _, dup := jsoncheck.DuplicateName([]byte(body), 2); dup {
		t.Error("a duplicate 10,000 levels down was reported with depth 2")
	}
}

func BenchmarkDuplicateName(b *testing.B) {
	body := []byte(`{"invoice_id":"INV-1001","payment_id":"PAY-7","email":"fran@example.com","first_name":"Fran",` +
		`"last_name":"Fields","amount":"250.00","currency":"USD","paid_at":"2026-11-23T14:05:00Z","status":"paid"}`)
	b.ReportAllocs()
	for b.Loop() {
		jsoncheck.DuplicateName(body, 0)
	}
}

func TestMarkInvalidUTF8(t *testing.T) {
	for body, want := range map[string]string{
		`{"name":"José"}`:          `{"name":"José"}`,
		"{\"name\":\"Jos\xe9\"}":   `{"name":"Jos\u0000"}`,
		"{\"name\":\"\xff\xfeA\"}": `{"name":"\u0000A"}`,
		"{\"a\":1}\xff":            `{"a":1}\u0000`,
	} {
		if got := string(jsoncheck.MarkInvalidUTF8([]byte(body))); got != want {
			t.Errorf("MarkInvalidUTF8(%q) = %q, want %q", body, got, want)
		}
	}
}
