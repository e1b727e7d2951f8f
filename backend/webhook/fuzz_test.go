package webhook_test

import (
	"bytes"
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/advocateloop/advocateloop/backend/internal/jsontest"

	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/webhook"
)

// Fuzz targets for what a signed webhook brings: its body, its amounts and its signature
// headers. `go test` replays the seeds in testdata/fuzz.

// FuzzPaymentEvent: any body maps to an event or a validation problem, never a panic. A mapped
// event has an invoice id and an amount, every value comes from the body, nothing outside the
// allow-list is read (dropping every other field changes nothing), a field the top of the body
// gives is read from there, and a body that gives a field twice, or under two names with
// different values, is refused rather than read either way.
func FuzzPaymentEvent(f *testing.F) {
	for _, seed := range []string{
		`{"Invoice Number":"INV-1001","Patient Email":"fran@example.com","Total":"$1,250.00"}`,
		`{"invoice":{"number":"INV-9"},"patient":{"email":"a@b.c"},"amount":10}`,
		`{"InvoiceID":7,"AmountPaid":99.5,"treatment":"Botox","line_items":[1,2]}`,
		`{"":"","invoice_id":null,"amount":true}`,
		`[]`, `{}`, `not json`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := webhook.PaymentEvent(body)
		if err != nil {
			if referral.ErrorCode(err) != referral.EInvalid {
				t.Fatalf("error %v is not a validation problem", err)
			}
			return
		}
		if ev.InvoiceID == "" || ev.Amount == "" {
			t.Fatalf("mapped %+v without an invoice id or an amount", ev)
		}
		if key, twice := repeatedKey(body); twice {
			t.Fatalf("read a body that gives %q twice: %+v", key, ev)
		}
		if only, err := webhook.PaymentEvent(allowListed(t, body, webhook.PaymentNames())); err != nil || only != ev {
			t.Fatalf("fields outside the allow-list changed the event:\n\twith    %+v\n\twithout %+v, %v", ev, only, err)
		}
		fromBody(t, body, string(ev.Amount), ev.InvoiceID, ev.PaymentID, ev.Email, ev.Name, ev.FirstName, ev.LastName,
			ev.Currency, ev.PaidAt, ev.Status, ev.ReferralCode)
		fromTop(t, body, webhook.PaymentNames(), map[string]string{"invoice_id": ev.InvoiceID, "payment_id": ev.PaymentID,
			"email": ev.Email, "name": ev.Name, "first_name": ev.FirstName, "last_name": ev.LastName, "amount": string(ev.Amount),
			"currency": ev.Currency, "paid_at": ev.PaidAt, "status": ev.Status, "referral_code": ev.ReferralCode})
	})
}

// FuzzRefundEvent: the same for refunds; and an amount refunded that is given ("", "$", an
// object) is read or refused, never taken for a full refund, which only no amount (or null) is.
func FuzzRefundEvent(f *testing.F) {
	for _, seed := range []string{
		`{"Invoice Number":"INV-1001","Refund ID":"R-1","Refund Amount":"$50.00"}`,
		`{"invoice":{"number":"INV-9"},"refund":{"amount":"10"}}`,
		`{"invoice_id":"INV-1"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := webhook.RefundEvent(body)
		if err != nil {
			if referral.ErrorCode(err) != referral.EInvalid {
				t.Fatalf("error %v is not a validation problem", err)
			}
			return
		}
		if ev.InvoiceID == "" {
			t.Fatalf("mapped %+v without an invoice id", ev)
		}
		if key, twice := repeatedKey(body); twice {
			t.Fatalf("read a body that gives %q twice: %+v", key, ev)
		}
		amount, given := amountRefunded(ev)
		for _, sent := range valuesNamed(body, webhook.RefundNames()["amount_refunded"]) {
			if !given && string(sent) != "null" {
				t.Fatalf("read the amount refunded %s as a full refund", sent)
			}
		}
		if only, err := webhook.RefundEvent(allowListed(t, body, webhook.RefundNames())); err != nil || !reflect.DeepEqual(only, ev) {
			t.Fatalf("fields outside the allow-list changed the event:\n\twith    %+v\n\twithout %+v, %v", ev, only, err)
		}
		fromBody(t, body, amount, ev.InvoiceID, ev.RefundID)
		// The generic "amount" counts only when no refund-specific name is sent: a refund body may
		// carry the invoice's amount beside its own.
		specific := maps.Clone(webhook.RefundNames())
		specific["amount_refunded"] = slices.DeleteFunc(slices.Clone(specific["amount_refunded"]), func(n string) bool { return n == "amount" })
		fromTop(t, body, specific, map[string]string{"invoice_id": ev.InvoiceID, "refund_id": ev.RefundID, "amount_refunded": amount})
	})
}

// amountRefunded is a refund event's amount and whether it has one, read the same whether the
// event holds it as text ("" for none) or as a pointer to text (nil for none, "" sent blank).
func amountRefunded(ev referral.RefundEvent) (string, bool) {
	v := reflect.ValueOf(ev).FieldByName("AmountRefunded")
	if v.Kind() != reflect.Pointer {
		return v.String(), v.String() != ""
	}
	if v.IsNil() {
		return "", false
	}
	return v.Elem().String(), true
}

// FuzzWebhookAmount: a webhook's amount, however the sender writes it ("$1,250.00", 99.5,
// "1.250,00"), reaches the one amount rule as sent, so it is read or refused exactly as the
// API reads or refuses the same text: the webhook has no rule of its own.
func FuzzWebhookAmount(f *testing.F) {
	f.Add("$1,250.00")
	f.Add("99.5")
	f.Fuzz(func(t *testing.T, total string) {
		body, _ := json.Marshal(map[string]string{"invoice_id": "INV-1", "total": total})
		var sent struct{ Total string }
		json.Unmarshal(body, &sent) // total as the body carries it: invalid UTF-8 is replaced
		readAs(t, body, sent.Total)
		if jsonNumber.MatchString(total) { // a JSON number is read as its literal text
			readAs(t, []byte(`{"invoice_id":"INV-1","total":`+total+`}`), total)
		}
	})
}

// readAs fails unless the amount a body's total is read as is what the API reads total as, in
// a currency of each scale.
func readAs(t *testing.T, body []byte, total string) {
	t.Helper()
	ev, err := webhook.PaymentEvent(body)
	if err != nil {
		if strings.TrimSpace(total) != "" {
			t.Fatalf("total %q is missing: %v", total, err)
		}
		return
	}
	for _, code := range []string{"USD", "JPY", "KWD"} {
		got, err := ev.Amount.Parse(code)
		want, werr := referral.Amount(total).Parse(code)
		if got != want || (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
			t.Fatalf("total %q in %s reads as %+v, %v through a webhook, and as %+v, %v through the API", total, code, got, err, want, werr)
		}
	}
}

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// FuzzVerify: a webhook is accepted only with a fresh timestamp and a v1 signature that is the
// HMAC of this id, timestamp and body under one of the practice's valid secrets; and always
// then, however many other signatures surround it and however they are spaced. Changing the
// body or the id afterwards makes it fail.
func FuzzVerify(f *testing.F) {
	current := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	previous := "whsec_" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("p"), 32))
	secrets := []string{"whsec_not base64!", "whsec_", previous, current} // a rotation, and two broken secrets
	now := time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)
	body := []byte(`{"invoice_id":"INV-1","amount":"1.00"}`)
	f.Add("msg_1", int64(0), "", "v1, v1,AAAA v2,abc", " ", body, uint8(1), false)
	f.Add("msg_2", int64(-301), "+1795442400", "v1,", "\t \t", []byte("{}"), uint8(0), true)
	f.Fuzz(func(t *testing.T, id string, skew int64, stamp, others, spacing string, body []byte, at uint8, old bool) {
		ts := strconv.FormatInt(now.Unix()+skew, 10)
		fresh := id != "" && skew >= -300 && skew <= 300

		// The sender's own signatures are accepted only if one of them is right.
		if _, err := webhook.Verify(secrets, header(id, ts, others), body, now); err == nil {
			if !slices.ContainsFunc(strings.Fields(others), rightFor(secrets, id, ts, body)) {
				t.Fatalf("accepted signatures %q that are not the body's", others)
			}
			if !fresh {
				t.Fatalf("accepted id %q at %+ds from now", id, skew)
			}
		}
		// The right signature among any others, spaced any way, is accepted while fresh.
		secret := current
		if old {
			secret = previous
		}
		sigs := strings.Fields(others)
		sigs = slices.Insert(sigs, int(at)%(len(sigs)+1), webhook.SignatureHeader(secret, id, ts, body))
		sep := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' {
				return r
			}
			return -1
		}, spacing)
		if sep == "" {
			sep = " "
		}
		h := header(id, ts, sep+strings.Join(sigs, sep)+sep)
		signed, err := webhook.Verify(secrets, h, body, now)
		switch {
		case !fresh && err == nil:
			t.Fatalf("accepted id %q at %+ds from now", id, skew)
		case !fresh:
			return
		case err != nil:
			t.Fatalf("refused the right signature among %q: %v", h.Get("webhook-signature"), err)
		case signed.ID != id || !signed.Timestamp.Equal(now.Add(time.Duration(skew)*time.Second)):
			t.Fatalf("verified as %+v", signed)
		}
		if _, err := webhook.Verify(secrets, h, append(slices.Clip(body), 'x'), now); !errors.Is(err, webhook.ErrNoMatch) {
			t.Fatalf("a longer body passed with the same signature: %v", err)
		}
		if _, err := webhook.Verify(secrets, header(id+"x", ts, h.Get("webhook-signature")), body, now); !errors.Is(err, webhook.ErrNoMatch) {
			t.Fatalf("another id passed with the same signature: %v", err)
		}
		// A timestamp is accepted only as Unix seconds within 5 minutes of now.
		if stamp != "" {
			_, err := webhook.Verify(secrets, header(id, stamp, webhook.SignatureHeader(secret, id, stamp, body)), body, now)
			unix, perr := strconv.ParseInt(stamp, 10, 64)
			if err == nil && (perr != nil || unix < now.Unix()-300 || unix > now.Unix()+300) {
				t.Fatalf("accepted the timestamp %q", stamp)
			}
		}
	})
}

// header is a webhook's three Standard Webhooks headers.
func header(id, timestamp, signatures string) http.Header {
	h := http.Header{}
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", timestamp)
	h.Set("webhook-signature", signatures)
	return h
}

// rightFor reports whether a signature is "v1," and the base64 of the HMAC of id, timestamp
// and body under one of the secrets that is a valid whsec_ secret.
func rightFor(secrets []string, id, ts string, body []byte) func(string) bool {
	return func(sig string) bool {
		value, ok := strings.CutPrefix(sig, "v1,")
		mac, err := base64.StdEncoding.DecodeString(value)
		if !ok || err != nil {
			return false
		}
		for _, secret := range secrets {
			if want := webhook.Sign(secret, id, ts, body); want != nil && hmac.Equal(mac, want) {
				return true
			}
		}
		return false
	}
}

// fromBody fails unless every value is in the body, as it stands (unless JSON escapes or bytes
// that are not UTF-8 changed how it is spelled).
func fromBody(t *testing.T, body []byte, values ...string) {
	t.Helper()
	if bytes.Contains(body, []byte(`\`)) || !utf8.Valid(body) {
		return
	}
	for _, v := range values {
		if v != "" && !bytes.Contains(body, []byte(v)) {
			t.Fatalf("value %q is not in the body %q", v, body)
		}
	}
}

// fromTop fails unless every field the top of the body gives as a value (text, a number,
// true or false) under any of its names was read from there, and those names agree.
func fromTop(t *testing.T, body []byte, table map[string][]string, read map[string]string) {
	t.Helper()
	if !utf8.Valid(body) {
		return // the reader marks bytes that are not UTF-8; fromBody's caveat
	}
	for field, names := range table {
		values := map[string]bool{}
		for _, m := range jsontest.Members(body) {
			var v any
			dec := json.NewDecoder(bytes.NewReader(m.Value))
			dec.UseNumber()
			if !slices.Contains(names, normal(m.Name)) || dec.Decode(&v) != nil {
				continue
			}
			switch v := v.(type) {
			case string:
				values[strings.TrimSpace(v)] = true
			case json.Number:
				values[v.String()] = true
			case bool:
				values[strconv.FormatBool(v)] = true
			}
		}
		if len(values) == 0 {
			continue
		}
		if delete(values, ""); len(values) > 1 {
			t.Fatalf("read %s as %q, though the top of the body gives it as each of %v", field, read[field], slices.Collect(maps.Keys(values)))
		}
		if len(values) == 1 && !values[read[field]] || len(values) == 0 && read[field] != "" {
			t.Fatalf("read %s as %q, not as the top of the body gives it: %v", field, read[field], slices.Collect(maps.Keys(values)))
		}
	}
}

// repeatedKey finds a name given twice in the body's object or in an object inside it, the
// two levels the field reader looks at.
func repeatedKey(body []byte) (string, bool) {
	top := jsontest.Members(body)
	objects := [][]jsontest.Member{top}
	for _, m := range top {
		objects = append(objects, jsontest.Members(m.Value))
	}
	for _, object := range objects {
		seen := map[string]bool{}
		for _, m := range object {
			if seen[m.Name] {
				return m.Name, true
			}
			seen[m.Name] = true
		}
	}
	return "", false
}

// valuesNamed lists the values the field reader could take for an amount with these names: at
// the top, or one level down under both names joined ("refund": {"amount": …}).
func valuesNamed(body []byte, names []string) []json.RawMessage {
	var out []json.RawMessage
	for _, m := range jsontest.Members(body) {
		if slices.Contains(names, normal(m.Name)) {
			out = append(out, m.Value)
		}
		for _, inner := range jsontest.Members(m.Value) {
			if slices.Contains(names, normal(m.Name+inner.Name)) { // an amount nested bare is an item's, not read
				out = append(out, inner.Value)
			}
		}
	}
	return out
}

// allowListed is the body with every field the allow-list does not name dropped, at the top
// and one level down. A body that is not UTF-8 is left whole: re-encoding would change its text.
func allowListed(t *testing.T, body []byte, table map[string][]string) []byte {
	t.Helper()
	if !utf8.Valid(body) {
		return body
	}
	var read []string
	for _, names := range table {
		read = append(read, names...)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("a body the reader took does not decode: %v", err)
	}
	kept := map[string]any{}
	for name, v := range doc {
		inner, isObject := v.(map[string]any)
		if !isObject || slices.Contains(read, normal(name)) { // an object where a value belongs is kept whole
			if slices.Contains(read, normal(name)) {
				kept[name] = v
			}
			continue
		}
		keptInner := map[string]any{}
		for innerName, iv := range inner {
			if slices.Contains(read, normal(name+innerName)) || slices.Contains(read, normal(innerName)) {
				keptInner[innerName] = iv
			}
		}
		if len(keptInner) > 0 {
			kept[name] = keptInner
		}
	}
	out, err := json.Marshal(kept)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// normal is a field name as the reader compares it: lower-case letters and digits only.
func normal(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, name)
}
