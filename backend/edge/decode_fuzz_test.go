package edge

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/internal/jsontest"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// FuzzDecode: the REST body decoder, given any body and Content-Type, either fills the input
// or answers a documented 4xx problem naming what is wrong, never a 500-class answer. It takes
// only JSON, and fills only what the body gave under the input's own field names (what the text
// holds is the domain's validation to judge: see referral's FuzzPaymentValidation); a body that
// gives a field twice, in any case, is refused; and an amount refunded that is given, even as
// "", never decodes as no amount, which would be a full refund.
// `go test` replays the seeds in testdata/fuzz.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"invoice_id":"INV-1","email":"fran@example.com","amount":"250.00","treatment":"Botox"}`), "application/json", uint8(0))
	f.Add([]byte(`{"invoice_id":"INV-1","amount_refunded":""}`), "", uint8(1))
	f.Add([]byte(`{"referral_id":"ref_1","amount":12.5}`), "application/merge-patch+json; charset=utf-8", uint8(2))
	f.Fuzz(func(t *testing.T, body []byte, contentType string, input uint8) {
		inputs := []reflect.Type{reflect.TypeFor[referral.PaymentEvent](), reflect.TypeFor[referral.RefundEvent](),
			reflect.TypeFor[referral.ManualConversion]()}
		typ := inputs[int(input)%len(inputs)]
		dst := reflect.New(typ)
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/v1/conversions", bytes.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody) // as ReadBodyFirst does
		if !Decode(w, r, dst.Interface()) {
			wantProblem(t, w, typ, body)
			return
		}
		if w.Code != http.StatusOK || w.Body.Len() > 0 {
			t.Fatalf("accepted the body, yet answered %d %s", w.Code, w.Body)
		}
		if mt, _, _ := mime.ParseMediaType(contentType); contentType != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			t.Fatalf("accepted a body sent as %q", contentType)
		}
		if !json.Valid(body) {
			t.Fatalf("accepted a body that is not JSON: %q", body)
		}
		given := map[string][]json.RawMessage{} // what the body gave for each field
		for _, m := range jsontest.Members(body) {
			if field := fieldOf(typ, m.Name); field != "" {
				given[field] = append(given[field], m.Value)
			}
		}
		v := dst.Elem()
		for i := range v.NumField() {
			name := jsonName(typ.Field(i))
			s, set := text(v.Field(i))
			switch {
			case set && len(given[name]) == 0:
				t.Fatalf("%s is %q, though the body %q does not give it", name, s, body)
			case len(given[name]) > 1:
				t.Fatalf("accepted a body that gives %s %d times: %q", name, len(given[name]), body)
			}
		}
		// An amount refunded that is given, even blank, never decodes as none (a full refund).
		if sent := given["amount_refunded"]; len(sent) == 1 && string(sent[0]) != "null" {
			none := reflect.New(typ)
			if !Decode(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(without(body, typ, "amount_refunded"))), none.Interface()) ||
				reflect.DeepEqual(none.Interface(), dst.Interface()) {
				t.Fatalf("the amount refunded %s decodes as none", sent[0])
			}
		}
	})
}

// text is a decoded string field's value, and whether it was set: a string is set when not
// empty, a pointer to one when not nil.
func text(v reflect.Value) (string, bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "", false
		}
		return v.Elem().String(), true
	}
	return v.String(), v.String() != ""
}

// without is the body with the members that fill one input field left out.
func without(body []byte, input reflect.Type, field string) []byte {
	var kept [][]byte
	for _, m := range jsontest.Members(body) {
		if fieldOf(input, m.Name) != field {
			name, _ := json.Marshal(m.Name)
			kept = append(kept, append(append(name, ':'), m.Value...))
		}
	}
	return append(append([]byte("{"), bytes.Join(kept, []byte(","))...), '}')
}

// wantProblem fails unless the answer is a problem the catalogue documents, of class 4xx, and
// a validation problem names fields of the input or of the body.
func wantProblem(t *testing.T, w *httptest.ResponseRecorder, input reflect.Type, body []byte) {
	t.Helper()
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("refused with %d %q, not a problem: %v", w.Code, w.Body, err)
	}
	slug, _ := strings.CutPrefix(p.Type, "/problems/")
	known, ok := problemTypes[slug]
	switch {
	case w.Code < 400 || w.Code >= 500:
		t.Fatalf("answered %d %s", w.Code, w.Body)
	case !ok || known.Status != w.Code || p.Status != w.Code:
		t.Fatalf("answered %d with the problem %+v", w.Code, p)
	case slug == EMalformed && json.Valid(body) && bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("{")):
		t.Fatalf("called the JSON object %q malformed", body)
	case slug == referral.EInvalid && len(p.Errors) == 0:
		t.Fatalf("a validation problem names no field: %+v", p)
	}
	names := map[string]bool{}
	for i := range input.NumField() {
		names[jsonName(input.Field(i))] = true
	}
	for _, m := range jsontest.Members(body) {
		names[m.Name] = true
	}
	for _, e := range p.Errors {
		if !names[e.Field] {
			t.Fatalf("the problem names %q, neither an input field nor in the body: %+v", e.Field, p)
		}
	}
}

// fieldOf is the input field encoding/json fills from a body member of this name (it matches
// names without regard to case), or "".
func fieldOf(input reflect.Type, name string) string {
	key, _ := json.Marshal(name)
	probe := reflect.New(input)
	if json.Unmarshal([]byte(`{`+string(key)+`:"x"}`), probe.Interface()) != nil {
		return ""
	}
	v := probe.Elem()
	for i := range v.NumField() {
		if s, _ := text(v.Field(i)); s == "x" {
			return jsonName(input.Field(i))
		}
	}
	return ""
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}
