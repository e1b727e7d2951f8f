package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// attack is one hostile request and what to call it in a report.
type attack struct {
	name string
	req  harness.Request
}

// endpoint is a JSON endpoint with a valid body: each attack spoils one thing of it.
type endpoint struct {
	method, path string
	fields       []field
	// tolerant endpoints (signed webhooks) read what they know of any shape and ignore the
	// rest, so only what cannot be read as their fields is hostile there.
	tolerant bool
	kind     harness.Kind
}

// field is a body field and its valid value as raw JSON.
type field struct {
	name, value string
	money       bool
	optional    bool // may be left empty
}

func text(name, value string) field  { return field{name: name, value: `"` + value + `"`} }
func money(name, value string) field { return field{name: name, value: `"` + value + `"`, money: true} }

func endpoints(b base, slug, payments, refunds string) []endpoint {
	return []endpoint{
		{method: "POST", path: "/v1/advocates", fields: []field{text("name", "Hostile Person"), text("email", "hostile@chaos.example")}},
		{method: "PATCH", path: "/v1/advocates/" + b.advocate, fields: []field{text("name", "Renamed Person"), text("status", "active")}},
		{method: "POST", path: "/v1/referrals", fields: []field{text("advocate_id", b.advocate), text("friend_name", "Hostile Friend"),
			text("friend_email", "hostile-friend@chaos.example"), text("source", "api")}},
		{method: "POST", path: "/v1/conversions", fields: []field{text("invoice_id", "INV-HOSTILE"), text("payment_id", "PAY-HOSTILE"),
			text("email", "hostile-payer@chaos.example"), text("name", "Hostile Payer"), money("amount", "120.00"),
			text("currency", "USD"), text("status", "paid"), text("referral_code", b.code)}},
		{method: "POST", path: "/v1/conversions/reverse", fields: []field{text("invoice_id", "INV-HOSTILE"), text("refund_id", "RF-HOSTILE"),
			money("amount_refunded", "10.00")}},
		{method: "POST", path: "/v1/conversions/manual", fields: []field{text("referral_id", b.referral), text("invoice_id", "INV-MANUAL"),
			{name: "amount", value: `"80.00"`, money: true, optional: true}}},
		{method: "POST", path: "/v1/hooks", fields: []field{text("event", "advocate.created"), text("target_url", "http://127.0.0.1:9/hook")}},
		{method: "POST", path: payments, tolerant: true, fields: []field{text("invoice_number", "INV-WEBHOOK"),
			text("Email", "hostile-webhook@chaos.example"), text("patient_name", "Hostile Payer"), money("total", "95.00"), text("currency", "USD")}},
		{method: "POST", path: refunds, tolerant: true, fields: []field{text("invoice_number", "INV-WEBHOOK"), text("refund_id", "RF-WEBHOOK"),
			money("amount_refunded", "5.00")}},
		{method: "POST", path: "/p/" + slug + "/advocates", fields: []field{text("name", "Widget Person"), text("email", "widget@chaos.example")}},
	}
}

// spoil is a hostile value and its name.
type spoil struct{ name, value string }

var (
	unreadable = []spoil{{"an escaped NUL", `"Fran\u0000Fields"`}, {"a raw NUL byte", "\"Fran\x00Fields\""},
		{"bytes that are not UTF-8", "\"Fran\xff\xfeFields\""},
		{"a 10,000-deep array", strings.Repeat("[", 10000) + strings.Repeat("]", 10000)},
		{"70 KB of text", `"` + strings.Repeat("A", 70<<10) + `"`}}
	wrongTypes  = []spoil{{"an array", `["Fran"]`}, {"an object", `{"first":"Fran"}`}, {"true", "true"}}
	notText     = spoil{"a number for text", "12345"}
	wrongAmount = []spoil{{"1e400", "1e400"}, {"1e30", "1e30"}, {"a 30-digit number", "123456789012345678901234567890"},
		{"a 25-digit string", `"9999999999999999999999999.99"`}, {"a negative amount", "-5"}, {"a negative string", `"-5.00"`},
		{"NaN", `"NaN"`}, {"Infinity", `"Infinity"`}, {"a fraction of a cent", `"1.005"`}, {"zero", "0"}, {"hex", `"0x10"`}}
	noAmount = spoil{"an empty string", `""`}
)

// spoils are the hostile values for one field of an endpoint.
func (ep endpoint) spoils(f field) []spoil {
	out := append([]spoil{}, unreadable...)
	if f.money {
		out = append(out, wrongAmount...)
		if !f.optional {
			out = append(out, noAmount)
		}
	} else if !ep.tolerant {
		out = append(out, notText)
	}
	switch {
	case !ep.tolerant:
		out = append(out, wrongTypes...)
	case f.money || f.name == ep.fields[0].name:
		// A tolerant reader skips what it cannot read, and reads true as "true".
		out = append(out, wrongTypes[:2]...)
	}
	return out
}

func (ep endpoint) body(swap map[string]string, extra string) []byte {
	var b strings.Builder
	b.WriteString("{")
	for i, f := range ep.fields {
		if i > 0 {
			b.WriteString(",")
		}
		v := f.value
		if s, ok := swap[f.name]; ok {
			v = s
		}
		b.WriteString(`"` + f.name + `":` + v)
	}
	b.WriteString(extra + "}")
	return []byte(b.String())
}

// attacks spoils the endpoint's body every way, one field at a time, then as a whole.
func (ep endpoint) attacks(secret string) []attack {
	var out []attack
	add := func(what string, body []byte, contentType string) {
		r := harness.Request{Method: ep.method, Path: ep.path, Body: body, Kind: ep.kind}
		if ep.tolerant {
			r = signed(ep.path, secret, body)
		}
		if r.Header == nil {
			r.Header = http.Header{}
		}
		if ep.method == http.MethodPost && !ep.tolerant {
			r.Header.Set("Idempotency-Key", harness.NewKey())
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		out = append(out, attack{name: what + " to " + ep.method + " " + shape(ep.path), req: r})
	}
	for _, f := range ep.fields {
		for _, s := range ep.spoils(f) {
			add(s.name+" in "+f.name, ep.body(map[string]string{f.name: s.value}, ""), "")
		}
		if f.money {
			add("a duplicate "+f.name, ep.body(nil, `,"`+f.name+`":"999.00"`), "")
		}
	}
	first := ep.fields[0].name
	add("a duplicate "+first, ep.body(nil, `,"`+first+`":"Someone Else"`), "")
	whole := ep.body(nil, "")
	add("a 10,000-deep object", []byte(strings.Repeat(`{"a":`, 10001)+"1"+strings.Repeat("}", 10001)), "")
	add("a body that is an array", []byte("["+string(whole)+"]"), "")
	add("a body that is a string", []byte(`"hello"`), "")
	add("a body that is null", []byte("null"), "")
	add("a truncated body", whole[:len(whole)-1], "")
	add("a byte-order mark", append([]byte("\xef\xbb\xbf"), whole...), "")
	add("a 1 MiB body", ep.body(nil, `,"pad":"`+strings.Repeat("x", 1<<20)+`"`), "")
	if !ep.tolerant {
		add("two objects", append(append([]byte{}, whole...), whole...), "")
		add("a text/plain body", whole, "text/plain")
	}
	return out
}

// requestAttacks spoil the headers, query and path of valid requests.
func requestAttacks(b base) []attack {
	valid := mustJSON(map[string]string{"name": "Header Person", "email": "header@chaos.example"})
	post := func(name string, h http.Header) attack {
		return attack{name: name, req: harness.Request{Method: "POST", Path: "/v1/advocates", Body: valid, Header: h}}
	}
	out := []attack{
		post("a 300-character Idempotency-Key", http.Header{"Idempotency-Key": {strings.Repeat("k", 300)}}),
		post("an Idempotency-Key that is not UTF-8", http.Header{"Idempotency-Key": {"key-\xff\xfe"}}),
		post("an API key that is not UTF-8", http.Header{"Authorization": {"Bearer al_live_" + strings.Repeat("\xff", 32)}}),
		post("an API key of 8 KB", http.Header{"Authorization": {"Bearer al_live_" + strings.Repeat("A", 8<<10)}}),
	}
	huge := post("a 64 KB header", http.Header{"X-Filler": {strings.Repeat("h", 64<<10)}})
	huge.req.Kind = harness.Raw // net/http itself refuses it (431), before any handler
	out = append(out, huge)
	for _, path := range []string{
		"/v1/advocates?email=%00", "/v1/advocates?email=%FF", "/v1/advocates?code=%00", "/v1/advocates?status=%FF",
		"/v1/advocates?limit=99999999999999999999", "/v1/advocates?limit=-1", "/v1/advocates?limit=1e3",
		"/v1/advocates?cursor=garbage", "/v1/advocates?cursor=%FF%00", "/v1/conversions?advocate_id=%00",
		"/v1/referrals?friend_email=%FF", "/v1/rewards?code=%00", "/v1/events?type=%FF", "/v1/events?cursor=" + strings.Repeat("Z", 4000),
		"/v1/advocates/%00", "/v1/advocates/%FF", "/v1/advocates/" + strings.Repeat("x", 4000),
	} {
		out = append(out, attack{name: "GET " + shortened(path), req: harness.Request{Method: "GET", Path: path}})
	}
	for _, path := range []string{"/v1/rewards/%00/redeem", "/v1/rewards/AL-%FF/redeem", "/v1/near-misses/%FF/confirm", "/v1/near-misses/%00/dismiss"} {
		out = append(out, attack{name: "POST " + shortened(path), req: harness.Request{Method: "POST", Path: path,
			Header: http.Header{"Idempotency-Key": {harness.NewKey()}}}})
	}
	out = append(out, attack{name: "DELETE a hook named by bytes that are not UTF-8", req: harness.Request{Method: "DELETE", Path: "/v1/hooks/%FF"}})
	out = append(out, attack{name: "PATCH a path with a NUL", req: harness.Request{Method: "PATCH", Path: "/v1/advocates/" + b.advocate + "%00",
		Body: []byte(`{"name":"Renamed"}`)}})
	return out
}

// formAttacks post hostile fields to the public forms; they answer pages, and may take a name
// with what no person types removed.
func formAttacks(slug, code string) []attack {
	var out []attack
	form := func(path, body string) {
		out = append(out, attack{name: "POST " + path, req: harness.Request{Method: "POST", Path: path, Body: []byte(body),
			Kind: harness.Page, Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}})
	}
	for _, path := range []string{"/p/" + slug, "/r/" + code, "/p/" + slug + "/me"} {
		for _, body := range []string{
			"name=Fran%00Fields&email=form-nul@chaos.example",
			"name=Fran%FF%FEFields&email=form-utf8@chaos.example",
			"name=Fran&email=form%00@chaos.example",
			"name=Fran&email=form%FF@chaos.example",
			"name=" + strings.Repeat("A", 60<<10) + "&email=form-long@chaos.example",
			"name=Fran&email=%zz",
			"name=Fran&name=Other&email=form-twice@chaos.example&email=other@chaos.example",
			`{"name":"Fran","email":"form-json@chaos.example"}`,
		} {
			form(path, body)
		}
	}
	form("/login", "email=owner%00@chaos.example&password=%FF%FE&csrf=%00")
	for _, path := range []string{"/p/%FF", "/r/%00", "/p/" + slug + "/sign-in?token=%FF", "/p/" + slug + "/unsubscribe?token=%00"} {
		out = append(out, attack{name: "GET " + path, req: harness.Request{Method: "GET", Path: path, Kind: harness.Page}})
	}
	return out
}

// rawAttack is a request no client library would write.
type rawAttack struct {
	name  string
	bytes []byte
}

func rawAttacks(key string) []rawAttack {
	body := `{"name":"Raw Person","email":"raw@chaos.example"}`
	req := func(headers string) []byte {
		return []byte("POST /v1/advocates HTTP/1.1\r\nHost: chaos\r\nAuthorization: Bearer " + key + "\r\n" + headers +
			"Content-Type: application/json\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\nConnection: close\r\n\r\n" + body)
	}
	return []rawAttack{
		{"POST a NUL in a header", req("Idempotency-Key: a\x00b\r\n")},
		{"POST a header name that is not a token", req("Idem{potency}: x\r\n")},
		{"POST bytes that are not UTF-8 in the path", []byte("GET /v1/advocates/\xff\xfe HTTP/1.1\r\nHost: chaos\r\nAuthorization: Bearer " + key + "\r\nConnection: close\r\n\r\n")},
		{"POST a Content-Length that lies", []byte("POST /v1/advocates HTTP/1.1\r\nHost: chaos\r\nAuthorization: Bearer " + key +
			"\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n" + body)},
	}
}
