package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// badRequest is a request the API must refuse, and how.
type badRequest struct {
	name   string
	method string
	path   string
	query  string // appended to path after a "?"
	body   string // sent exactly as is
	ctype  string // Content-Type: application/json when empty and there is a body; none when "-"
	auth   string // Authorization: the practice's key when empty; none when "-"
	status int
	slug   string
	fields []string // for validation-failed: each must be named in errors[]
}

const wrongKey = "al_live_00000000000000000000000000000000"

// TestBadInput sends every /v1 operation what a careless Zap, a buggy client or a hostile one
// sends, and holds the server to a documented problem, never a 500, and no write at all: the
// database is compared row by row after each request. No Idempotency-Key is sent, so not even
// an idempotency row may appear.
func TestBadInput(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	pr := mustProgram(t, s, "Glow Aesthetics", "a.example")
	pr.Hook = mustHook(t, pr.Client, "conversion.reversed")
	cases := badRequests(pr)
	before := s.rows(t)
	for _, r := range cases {
		t.Run(r.name, func(t *testing.T) {
			defer func() {
				after := s.rows(t)
				assertSameRows(t, before, after)
				before = after
			}()
			expectRefused(t, s, pr, r)
		})
	}

	// A body of unknown length (chunked) is cut off at 64 KiB all the same, also when an
	// Idempotency-Key makes the server read it whole first.
	for _, key := range []string{"", "chunked-1"} {
		t.Run("POST /v1/advocates: chunked body over 64 KiB, Idempotency-Key "+key, func(t *testing.T) {
			body := `{"name":"Nia","email":"nia@a.example","padding":"` + strings.Repeat("x", 70<<10) + `"}`
			req, err := http.NewRequest("POST", s.URL+"/v1/advocates", io.MultiReader(strings.NewReader(body)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+pr.Key)
			req.Header.Set("Content-Type", "application/json")
			if key != "" {
				req.Header.Set("Idempotency-Key", key)
			}
			if req.ContentLength != 0 {
				t.Fatalf("the request has a Content-Length (%d); it must be sent chunked", req.ContentLength)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var p struct {
				Type   string `json:"type"`
				Status int    `json:"status"`
			}
			if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
				t.Fatalf("%d answer is not a problem: %v", res.StatusCode, err)
			}
			if res.StatusCode != 413 || p.Status != 413 || p.Type != "/problems/body-too-large" ||
				res.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s %+v, want a 413 body-too-large problem", res.StatusCode, res.Header.Get("Content-Type"), p)
			}
			after := s.rows(t)
			assertSameRows(t, before, after)
			before = after
		})
	}

	t.Run("query parameters no operation reads are ignored, whatever they hold", func(t *testing.T) {
		mustDo(t, pr.Client.WithoutRequestCheck(), "GET", "/v1/me?x=%FF%00", nil, 200, nil)
		mustDo(t, pr.Client.WithoutRequestCheck(), "GET", "/v1/advocates/"+pr.Jane+"?utm=%00", nil, 200, nil)
		assertSameRows(t, before, s.rows(t))
	})

	t.Run("POST /v1/advocates: a body of exactly 64 KiB is accepted", func(t *testing.T) {
		body := `{"name":"Nia North","email":"nia@a.example"}`
		body += strings.Repeat(" ", 64<<10-len(body))
		if res := pr.Client.For(t).RawDo("POST", "/v1/advocates", []byte(body), "application/json"); res.Status != 201 {
			t.Errorf("%d, want 201\n\t%s", res.Status, res.Body)
		}
		before = s.rows(t)
	})

	// A payment naming a code nobody has is an ordinary payer without a referral: 200
	// no_match, and nothing about the payer is kept.
	t.Run("POST /v1/conversions: unknown referral_code", func(t *testing.T) {
		var res struct {
			Outcome string `json:"outcome"`
			Matched bool   `json:"matched"`
		}
		mustDo(t, pr.Client, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-77", "email": "walk.in@a.example",
			"name": "Walter Inn", "amount": 75, "referral_code": "ZZZZZZZZ"}, 200, &res)
		if res.Outcome != "no_match" || res.Matched {
			t.Fatalf("answer %+v, want no_match", res)
		}
		after := s.rows(t)
		gone, added := diffRows(before["payments"], after["payments"])
		if len(gone) != 0 || len(added) != 1 || !strings.Contains(added[0], "invoice_id=INV-77 ") {
			t.Errorf("payments: -%q +%q, want only INV-77's key added", gone, added)
		}
		after["payments"] = before["payments"]
		assertSameRows(t, before, after)
		for table, rows := range s.rows(t) {
			for _, row := range rows {
				if strings.Contains(row, "walk.in") || strings.Contains(row, "Walter") {
					t.Errorf("%s keeps the unmatched payer: %s", table, row)
				}
			}
		}
	})
}

func expectRefused(t *testing.T, s *server, pr *program, r badRequest) {
	t.Helper()
	c := pr.Client.For(t)
	switch r.auth {
	case "":
	case "-":
		c = s.Client.For(t)
	default:
		c = s.Client.For(t).WithHeader("Authorization", r.auth)
	}
	ctype := r.ctype
	switch {
	case ctype == "-":
		ctype = ""
	case ctype == "" && r.body != "":
		ctype = "application/json"
	}
	var body []byte
	if r.body != "" {
		body = []byte(r.body)
	}
	path := r.path
	if r.query != "" {
		path += "?" + r.query
	}
	res := c.RawDo(r.method, path, body, ctype)
	if res.Status != r.status {
		t.Fatalf("%s %s: %d, want %d\n\tbody: %s", r.method, path, res.Status, r.status, res.Body)
	}
	p := res.Problem(t)
	if p.Slug() != r.slug {
		t.Errorf("problem type %q, want /problems/%s (detail: %s)", p.Type, r.slug, p.Detail)
	}
	for _, f := range r.fields {
		if _, ok := p.Field(f); !ok {
			t.Errorf("errors[] does not name %q: %+v", f, p.Errors)
		}
	}
	if r.slug == "validation-failed" && len(p.Errors) == 0 {
		t.Errorf("validation-failed without errors[]: %s", res.Body)
	}
	if p.Detail == "" {
		t.Errorf("problem without a detail: %s", res.Body)
	}
	if id := res.Header.Get("X-Request-Id"); id == "" || p.RequestID != id {
		t.Errorf("request_id %q, X-Request-Id %q: want the same, not empty", p.RequestID, id)
	}
	if r.status == 401 && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("401 with WWW-Authenticate %q, want a Bearer challenge", res.Header.Get("WWW-Authenticate"))
	}
	if r.status == 405 && res.Header.Get("Allow") == "" {
		t.Errorf("405 without an Allow header")
	}
}

// badRequests lists the refusals, operation by operation.
func badRequests(pr *program) []badRequest {
	var out []badRequest
	add := func(method, path string, rs ...badRequest) {
		for _, r := range rs {
			r.method, r.path = method, path
			r.name = method + " " + path + ": " + r.name
			out = append(out, r)
		}
	}
	invalid := func(name, body string, fields ...string) badRequest {
		return badRequest{name: name, body: body, status: 422, slug: "validation-failed", fields: fields}
	}
	unknownAdvocate := "adv_01JD3Q6Z8K2V7T9X4M5N6P7R8S"

	add("POST", "/v1/advocates", bodyRefusals(`{"name":"Jane Avery","email":"new@a.example"}`)...)
	add("POST", "/v1/advocates",
		invalid("name is a number", `{"name":123,"email":"new@a.example"}`, "name"),
		invalid("email is true", `{"name":"Nia","email":true}`, "email"),
		invalid("name is an object", `{"name":{"first":"Nia"},"email":"new@a.example"}`, "name"),
		invalid("email is an array", `{"name":"Nia","email":["new@a.example"]}`, "email"),
		invalid("empty object", `{}`, "name", "email"),
		invalid("no email", `{"name":"Nia"}`, "email"),
		invalid("no name", `{"email":"new@a.example"}`, "name"),
		invalid("null fields", `{"name":null,"email":null}`, "name", "email"),
		invalid("empty name", `{"name":"","email":"new@a.example"}`, "name"),
		invalid("name of 201 characters", `{"name":"`+strings.Repeat("n", 201)+`","email":"new@a.example"}`, "name"),
		invalid("email without @", `{"name":"Nia","email":"not-an-email"}`, "email"),
		invalid("email without domain", `{"name":"Nia","email":"nia@"}`, "email"),
		invalid("email without user", `{"name":"Nia","email":"@a.example"}`, "email"),
		invalid("email with a space", `{"name":"Nia","email":"nia x@a.example"}`, "email"),
		invalid("email of blanks", `{"name":"Nia","email":"   "}`, "email"),
		invalid("email of 255 characters", `{"name":"Nia","email":"`+strings.Repeat("n", 245)+`@a.example"}`, "email"),
		invalid("NUL in the name", `{"name":"Ni\u0000a","email":"new@a.example"}`, "name"),
	)
	add("GET", "/v1/advocates", listRefusals("status=paused", "email=%FF%FE", "code=%00")...)

	add("GET", "/v1/advocates/"+unknownAdvocate, keyRefusals()...)
	add("GET", "/v1/advocates/"+unknownAdvocate, badRequest{name: "unknown id", status: 404, slug: "not-found"})
	add("GET", "/v1/advocates/nonsense", badRequest{name: "garbage id", status: 404, slug: "not-found"})
	add("GET", "/v1/advocates/%FF%FE", badRequest{name: "id of bytes that are not UTF-8", status: 404, slug: "not-found"})
	add("GET", "/v1/advocates/adv_%00", badRequest{name: "id with NUL", status: 404, slug: "not-found"})
	add("GET", "/v1/advocates/"+strings.Repeat("x", 2000), badRequest{name: "id of 2000 characters", status: 404, slug: "not-found"})

	jane := "/v1/advocates/" + pr.Jane
	add("PATCH", jane, bodyRefusals(`{"name":"Jane A."}`)...)
	add("PATCH", jane,
		invalid("name is a number", `{"name":5}`, "name"),
		invalid("status is true", `{"status":true}`, "status"),
		invalid("unknown status", `{"status":"paused"}`, "status"),
		invalid("status in capitals", `{"status":"DISABLED"}`, "status"),
		invalid("empty name", `{"name":""}`, "name"),
		invalid("name of 201 characters", `{"name":"`+strings.Repeat("n", 201)+`"}`, "name"),
		invalid("NUL in the name", `{"name":"Ja\u0000ne"}`, "name"),
	)
	add("PATCH", "/v1/advocates/"+unknownAdvocate, badRequest{name: "unknown id", body: `{"name":"X"}`, status: 404, slug: "not-found"})
	add("PATCH", "/v1/advocates/%FF", badRequest{name: "id of bytes that are not UTF-8", body: `{"name":"X"}`, status: 404, slug: "not-found"})

	friend := func(extra string) string {
		return `{"friend_name":"Nia North","friend_email":"nia@a.example"` + extra + `}`
	}
	add("POST", "/v1/referrals", bodyRefusals(friend(`,"advocate_id":"`+pr.Jane+`"`))...)
	add("POST", "/v1/referrals",
		invalid("friend_name is a number", `{"friend_name":1,"friend_email":"nia@a.example","advocate_id":"`+pr.Jane+`"}`, "friend_name"),
		invalid("friend_email is false", `{"friend_name":"Nia","friend_email":false,"advocate_id":"`+pr.Jane+`"}`, "friend_email"),
		invalid("advocate_id is a number", friend(`,"advocate_id":5`), "advocate_id"),
		invalid("referral_code is a number", friend(`,"referral_code":12345678`), "referral_code"),
		invalid("source is a number", friend(`,"advocate_id":"`+pr.Jane+`","source":1`), "source"),
		invalid("neither advocate_id nor referral_code", friend(""), "referral_code"),
		invalid("no friend_name", `{"friend_email":"nia@a.example","advocate_id":"`+pr.Jane+`"}`, "friend_name"),
		invalid("no friend_email", `{"friend_name":"Nia","advocate_id":"`+pr.Jane+`"}`, "friend_email"),
		invalid("invalid friend_email", `{"friend_name":"Nia","friend_email":"nia@","advocate_id":"`+pr.Jane+`"}`, "friend_email"),
		invalid("friend_name of 201 characters", `{"friend_name":"`+strings.Repeat("n", 201)+`","friend_email":"nia@a.example","advocate_id":"`+pr.Jane+`"}`, "friend_name"),
		invalid("unknown source", friend(`,"advocate_id":"`+pr.Jane+`","source":"tiktok"`), "source"),
		invalid("unknown advocate_id", friend(`,"advocate_id":"`+unknownAdvocate+`"`), "advocate_id"),
		invalid("advocate_id not UTF-8", friend(`,"advocate_id":"adv_`+"\xff\xfe"+`"`), "advocate_id"),
		invalid("unknown referral_code", friend(`,"referral_code":"ZZZZZZZZ"`), "referral_code"),
		invalid("garbage referral_code", friend(`,"referral_code":"not a code!"`), "referral_code"),
		invalid("NUL in friend_name", `{"friend_name":"Ni\u0000a","friend_email":"nia@a.example","advocate_id":"`+pr.Jane+`"}`, "friend_name"),
		badRequest{name: "self-referral", body: `{"friend_name":"Jane","friend_email":" JANE@a.example ","advocate_id":"` + pr.Jane + `"}`, status: 422, slug: "self-referral"},
		badRequest{name: "friend is an advocate", body: `{"friend_name":"Kim","friend_email":"kim@a.example","advocate_id":"` + pr.Jane + `"}`, status: 422, slug: "existing-patient"},
		badRequest{name: "friend already converted", body: `{"friend_name":"Fran","friend_email":"fran@a.example","advocate_id":"` + pr.Kim + `"}`, status: 422, slug: "existing-patient"},
		badRequest{name: "friend of another advocate", body: `{"friend_name":"Gail","friend_email":"gail@a.example","advocate_id":"` + pr.Kim + `"}`, status: 409, slug: "already-referred"},
		badRequest{name: "disabled advocate's code", body: friend(`,"referral_code":"` + strings.ToLower(pr.DanCode) + `"`), status: 422, slug: "advocate-disabled"},
	)
	add("GET", "/v1/referrals", listRefusals("status=lost", "advocate_id=adv_%00", "friend_email=%C3%28")...)

	payment := func(fields string) string { return `{"invoice_id":"INV-900","email":"nia@a.example",` + fields + `}` }
	add("POST", "/v1/conversions", bodyRefusals(payment(`"amount":"250.00"`))...)
	add("POST", "/v1/conversions",
		invalid("invoice_id is a number", `{"invoice_id":900,"amount":250}`, "invoice_id"),
		invalid("email is a number", payment(`"amount":250,"email":5`), "email"),
		invalid("name is an array", payment(`"amount":250,"name":["Nia"]`), "name"),
		invalid("paid_at is a number", payment(`"amount":250,"paid_at":1700000000`), "paid_at"),
		invalid("status is true", payment(`"amount":250,"status":true`), "status"),
		invalid("referral_code is a number", payment(`"amount":250,"referral_code":42`), "referral_code"),
		invalid("empty object", `{}`, "invoice_id", "amount"),
		invalid("no invoice_id", `{"email":"nia@a.example","amount":250}`, "invoice_id"),
		invalid("blank invoice_id", `{"invoice_id":"  ","amount":250}`, "invoice_id"),
		invalid("invoice_id of 101 characters", `{"invoice_id":"`+strings.Repeat("9", 101)+`","amount":250}`, "invoice_id"),
		invalid("no amount", payment(`"currency":"USD"`), "amount"),
		invalid("amount null", payment(`"amount":null`), "amount"),
		invalid("amount empty", payment(`"amount":""`), "amount"),
		invalid("amount 0", payment(`"amount":0`), "amount"),
		invalid("amount \"0.00\"", payment(`"amount":"0.00"`), "amount"),
		invalid("amount -5", payment(`"amount":-5`), "amount"),
		invalid("amount \"-250.00\"", payment(`"amount":"-250.00"`), "amount"),
		invalid("amount garbage", payment(`"amount":"two hundred"`), "amount"),
		invalid("amount with another currency's sign", payment(`"amount":"€250"`), "amount"),
		invalid("amount with a decimal comma", payment(`"amount":"1,50"`), "amount"),
		invalid("amount with European thousands", payment(`"amount":"1.250,00"`), "amount"),
		invalid("amount with an exponent", payment(`"amount":"1e3"`), "amount"),
		invalid("amount number with an exponent", payment(`"amount":2.5e2`), "amount"),
		invalid("amount with two points", payment(`"amount":"2.50.0"`), "amount"),
		invalid("amount true", payment(`"amount":true`), "amount"),
		invalid("amount an object", payment(`"amount":{"value":250}`), "amount"),
		invalid("amount with too many decimals", payment(`"amount":"250.001"`), "amount"),
		invalid("amount number with too many decimals", payment(`"amount":0.005`), "amount"),
		invalid("yen amount with decimals", payment(`"amount":"100.5","currency":"JPY"`), "amount"),
		invalid("amount too large", payment(`"amount":"99999999999999999999"`), "amount"),
		invalid("amount given twice", payment(`"amount":"1.00","amount":"999.00"`), "amount"),
		invalid("unknown currency", payment(`"amount":250,"currency":"ZZZ"`), "currency"),
		invalid("currency of two letters", payment(`"amount":250,"currency":"US"`), "currency"),
		invalid("currency as a word", payment(`"amount":250,"currency":"dollars"`), "currency"),
		invalid("currency XXX", payment(`"amount":250,"currency":"XXX"`), "currency"),
		invalid("currency is a number", payment(`"amount":250,"currency":840`), "currency"),
		invalid("invalid email", payment(`"amount":250,"email":"nia(at)a.example"`), "email"),
		invalid("paid_at not a time", payment(`"amount":250,"paid_at":"yesterday"`), "paid_at"),
		invalid("paid_at impossible date", payment(`"amount":250,"paid_at":"2026-13-45"`), "paid_at"),
		invalid("NUL in the name", payment(`"amount":250,"name":"Ni\u0000a"`), "name"),
		invalid("every field wrong at once", `{"invoice_id":"","amount":"-1","currency":"ZZZ","email":"x","paid_at":"soon"}`,
			"invoice_id", "currency", "email", "paid_at"),
	)
	add("GET", "/v1/conversions", listRefusals("status=refunded", "advocate_id=%FF", "invoice_id=INV-%00")...)

	add("POST", "/v1/conversions/reverse", bodyRefusals(`{"invoice_id":"INV-1"}`)...)
	add("POST", "/v1/conversions/reverse",
		invalid("invoice_id is a number", `{"invoice_id":1}`, "invoice_id"),
		invalid("refund_id is a number", `{"invoice_id":"INV-1","refund_id":7}`, "refund_id"),
		invalid("empty object", `{}`, "invoice_id"),
		invalid("blank invoice_id", `{"invoice_id":" "}`, "invoice_id"),
		invalid("amount_refunded 0", `{"invoice_id":"INV-1","amount_refunded":0}`, "amount_refunded"),
		invalid("amount_refunded negative", `{"invoice_id":"INV-1","amount_refunded":"-10"}`, "amount_refunded"),
		invalid("amount_refunded garbage", `{"invoice_id":"INV-1","amount_refunded":"all"}`, "amount_refunded"),
		invalid("amount_refunded with too many decimals", `{"invoice_id":"INV-1","amount_refunded":"10.001"}`, "amount_refunded"),
		invalid("amount_refunded with a decimal comma", `{"invoice_id":"INV-1","amount_refunded":"10,50"}`, "amount_refunded"),
		invalid("amount_refunded false", `{"invoice_id":"INV-1","amount_refunded":false}`, "amount_refunded"),
		invalid("amount_refunded blank, not a full refund", `{"invoice_id":"INV-1","amount_refunded":""}`, "amount_refunded"),
		invalid("amount_refunded of blanks", `{"invoice_id":"INV-1","amount_refunded":"  "}`, "amount_refunded"),
	)

	add("POST", "/v1/conversions/manual", bodyRefusals(`{"referral_id":"`+pr.Gail+`"}`)...)
	add("POST", "/v1/conversions/manual",
		invalid("referral_id is a number", `{"referral_id":5}`, "referral_id"),
		invalid("invoice_id is a number", `{"referral_id":"`+pr.Gail+`","invoice_id":5}`, "invoice_id"),
		invalid("empty object", `{}`, "referral_id"),
		invalid("unknown referral_id", `{"referral_id":"ref_01JD3Q6Z8K2V7T9X4M5N6P7R8S"}`, "referral_id"),
		invalid("referral_id of an advocate", `{"referral_id":"`+pr.Jane+`"}`, "referral_id"),
		invalid("referral_id not UTF-8", `{"referral_id":"ref_`+"\xff"+`"}`, "referral_id"),
		invalid("amount 0", `{"referral_id":"`+pr.Gail+`","amount":0}`, "amount"),
		invalid("amount negative", `{"referral_id":"`+pr.Gail+`","amount":-1}`, "amount"),
		invalid("amount garbage", `{"referral_id":"`+pr.Gail+`","amount":"lots"}`, "amount"),
		invalid("amount with too many decimals", `{"referral_id":"`+pr.Gail+`","amount":"1.999"}`, "amount"),
		invalid("unknown currency", `{"referral_id":"`+pr.Gail+`","amount":10,"currency":"ABC"}`, "currency"),
		badRequest{name: "already converted", body: `{"referral_id":"` + pr.Fran + `"}`, status: 409, slug: "already-converted"},
	)

	add("GET", "/v1/rewards", listRefusals("status=spent", "code=%FF", "advocate_id=%00")...)
	add("POST", "/v1/rewards/"+pr.Issued+"/redeem", keyRefusals()...)
	add("POST", "/v1/rewards/AL-ZZZZZZZZ/redeem", badRequest{name: "unknown code", status: 404, slug: "not-found"})
	add("POST", "/v1/rewards/nonsense/redeem", badRequest{name: "garbage code", status: 404, slug: "not-found"})
	add("POST", "/v1/rewards/"+pr.JaneCode+"/redeem", badRequest{name: "an advocate's referral code", status: 404, slug: "not-found"})
	add("POST", "/v1/rewards/AL-%FF/redeem", badRequest{name: "code not UTF-8", status: 404, slug: "not-found"})
	add("POST", "/v1/rewards/"+pr.Redeemed+"/redeem", badRequest{name: "already redeemed", status: 409, slug: "already-redeemed"})
	add("POST", "/v1/rewards/"+strings.ToLower(pr.Redeemed)+"/redeem", badRequest{name: "already redeemed, in lower case", status: 409, slug: "already-redeemed"})
	add("POST", "/v1/rewards/"+pr.Voided+"/redeem", badRequest{name: "voided", status: 409, slug: "reward-voided"})

	add("GET", "/v1/near-misses", listRefusals("cursor=%FF")...)
	for _, action := range []string{"confirm", "dismiss"} {
		add("POST", "/v1/near-misses/"+pr.NearMiss+"/"+action, keyRefusals()...)
		add("POST", "/v1/near-misses/nms_01JD3Q6Z8K2V7T9X4M5N6P7R8S/"+action, badRequest{name: "unknown id", status: 404, slug: "not-found"})
		add("POST", "/v1/near-misses/"+pr.Gail+"/"+action, badRequest{name: "a referral's id", status: 404, slug: "not-found"})
		add("POST", "/v1/near-misses/%00/"+action, badRequest{name: "id with NUL", status: 404, slug: "not-found"})
	}

	add("GET", "/v1/events", listRefusals("type=advocate.deleted", "type=ADVOCATE.CREATED", "type=%FF")...)

	hook := `{"event":"reward.redeemed","target_url":"https://203.0.113.10/hook"}`
	add("POST", "/v1/hooks", bodyRefusals(hook)...)
	add("POST", "/v1/hooks",
		invalid("event is a number", `{"event":5,"target_url":"https://203.0.113.10/hook"}`, "event"),
		invalid("target_url is true", `{"event":"reward.redeemed","target_url":true}`, "target_url"),
		invalid("empty object", `{}`, "event", "target_url"),
		invalid("no target_url", `{"event":"reward.redeemed"}`, "target_url"),
		invalid("unknown event", `{"event":"reward.deleted","target_url":"https://203.0.113.10/hook"}`, "event"),
		invalid("event in capitals", `{"event":"REWARD.REDEEMED","target_url":"https://203.0.113.10/hook"}`, "event"),
		invalid("target_url not a URL", `{"event":"reward.redeemed","target_url":"hooks dot zapier"}`, "target_url"),
		invalid("relative target_url", `{"event":"reward.redeemed","target_url":"/hook"}`, "target_url"),
		invalid("ftp target_url", `{"event":"reward.redeemed","target_url":"ftp://203.0.113.10/hook"}`, "target_url"),
		invalid("javascript target_url", `{"event":"reward.redeemed","target_url":"javascript:alert(1)"}`, "target_url"),
		invalid("loopback target_url", `{"event":"reward.redeemed","target_url":"http://127.0.0.1:8080/hook"}`, "target_url"),
		invalid("localhost target_url", `{"event":"reward.redeemed","target_url":"http://localhost/hook"}`, "target_url"),
		invalid("private target_url", `{"event":"reward.redeemed","target_url":"https://10.0.0.7/hook"}`, "target_url"),
		invalid("link-local target_url", `{"event":"reward.redeemed","target_url":"http://169.254.169.254/latest/meta-data"}`, "target_url"),
		invalid("IPv6 loopback target_url", `{"event":"reward.redeemed","target_url":"http://[::1]/hook"}`, "target_url"),
		invalid("target_url of 2001 characters", `{"event":"reward.redeemed","target_url":"https://203.0.113.10/`+strings.Repeat("h", 1981)+`"}`, "target_url"),
		invalid("NUL in target_url", `{"event":"reward.redeemed","target_url":"https://203.0.113.10/h\u0000"}`, "target_url"),
	)
	add("GET", "/v1/hooks", listRefusals()...)
	add("DELETE", "/v1/hooks/"+pr.Hook, keyRefusals()...)
	add("DELETE", "/v1/hooks/hk_01JD3Q6Z8K2V7T9X4M5N6P7R8S", badRequest{name: "unknown id", status: 404, slug: "not-found"})
	add("DELETE", "/v1/hooks/"+pr.Jane, badRequest{name: "an advocate's id", status: 404, slug: "not-found"})
	add("DELETE", "/v1/hooks/%FF", badRequest{name: "id not UTF-8", status: 404, slug: "not-found"})

	add("GET", "/v1/me", keyRefusals()...)

	// Addresses and methods the API does not have.
	for _, r := range []badRequest{
		{method: "GET", path: "/v1/nothing-here", status: 404, slug: "not-found"},
		{method: "GET", path: "/v1/nothing-here", auth: "-", status: 404, slug: "not-found"},
		{method: "GET", path: "/nothing-here", status: 404, slug: "not-found"},
		{method: "GET", path: "/v2/advocates", status: 404, slug: "not-found"},
		{method: "GET", path: "/v1/advocates/" + pr.Jane + "/referrals", status: 404, slug: "not-found"},
		{method: "POST", path: "/v1/rewards/" + pr.Issued, status: 404, slug: "not-found"},
		{method: "DELETE", path: "/v1/advocates", status: 405, slug: "method-not-allowed"},
		{method: "PUT", path: "/v1/advocates/" + pr.Jane, body: `{"name":"X"}`, status: 405, slug: "method-not-allowed"},
		{method: "DELETE", path: "/v1/advocates/" + pr.Jane, status: 405, slug: "method-not-allowed"},
		{method: "GET", path: "/v1/conversions/reverse", status: 405, slug: "method-not-allowed"},
		{method: "PATCH", path: "/v1/conversions", body: `{}`, status: 405, slug: "method-not-allowed"},
		{method: "GET", path: "/v1/rewards/" + pr.Issued + "/redeem", status: 405, slug: "method-not-allowed"},
		{method: "DELETE", path: "/v1/near-misses/" + pr.NearMiss + "/dismiss", status: 405, slug: "method-not-allowed"},
		{method: "POST", path: "/v1/me", body: `{}`, status: 405, slug: "method-not-allowed"},
		{method: "POST", path: "/healthz", status: 405, slug: "method-not-allowed"},
		{method: "PUT", path: "/v1/hooks", body: `{}`, status: 405, slug: "method-not-allowed"},
		{method: "GET", path: "/v1/hooks/" + pr.Hook, status: 405, slug: "method-not-allowed"},
	} {
		r.name = "no such operation"
		add(r.method, r.path, r)
	}
	return out
}

// bodyRefusals are the refusals every operation that reads a JSON body owes, for an endpoint
// that would accept valid.
func bodyRefusals(valid string) []badRequest {
	malformed := func(name, body string) badRequest {
		return badRequest{name: name, body: body, status: 400, slug: "malformed-request"}
	}
	unsupported := func(name, ctype string) badRequest {
		return badRequest{name: name, body: valid, ctype: ctype, status: 415, slug: "unsupported-media-type"}
	}
	huge := `{"padding":"` + strings.Repeat("x", 64<<10) + `",` + valid[1:]
	first := firstName.FindStringSubmatch(valid)[1]
	return append(keyRefusals(valid),
		badRequest{name: "a field given twice", body: `{"` + first + `":"x",` + valid[1:], status: 422, slug: "validation-failed", fields: []string{first}},
		badRequest{name: "a field given twice, once unknown", body: `{"utm":1,"utm":2,` + valid[1:], status: 422, slug: "validation-failed", fields: []string{"utm"}},
		malformed("empty body", ""),
		malformed("blank body", " \n\t "),
		malformed("truncated JSON", valid[:len(valid)-3]),
		malformed("not JSON", `name=Jane&email=jane@a.example`),
		badRequest{name: "not JSON, without Content-Type", body: `name=Jane&email=jane@a.example`, ctype: "-", status: 400, slug: "malformed-request"},
		malformed("single quotes", strings.ReplaceAll(valid, `"`, `'`)),
		malformed("trailing comma", valid[:len(valid)-1]+`,}`),
		malformed("a JSON array", `[`+valid+`]`),
		malformed("an empty array", `[]`),
		malformed("a JSON string", `"`+strings.ReplaceAll(valid, `"`, `\"`)+`"`),
		malformed("a JSON number", `42`),
		malformed("JSON null", `null`),
		malformed("two objects", valid+valid),
		malformed("an object and a bracket", valid+`]`),
		malformed("an object and garbage", valid+` garbage`),
		unsupported("text/plain", "text/plain"),
		unsupported("form", "application/x-www-form-urlencoded"),
		unsupported("multipart", "multipart/form-data; boundary=x"),
		unsupported("XML", "application/xml"),
		unsupported("unparsable Content-Type", "json;;;=="),
		badRequest{name: "body over 64 KiB", body: huge, status: 413, slug: "body-too-large"},
		badRequest{name: "body over 64 KiB without a key", body: huge, auth: "-", status: 413, slug: "body-too-large"},
	)
}

// firstName finds the name of a JSON object's first member.
var firstName = regexp.MustCompile(`^\{"([a-z_]+)":`)

// keyRefusals are the 401s every /v1 operation owes; valid is the body it would accept.
func keyRefusals(valid ...string) []badRequest {
	body := strings.Join(valid, "")
	unauthorized := func(name, auth string) badRequest {
		return badRequest{name: name, body: body, auth: auth, status: 401, slug: "unauthorized"}
	}
	return []badRequest{
		unauthorized("no API key", "-"),
		unauthorized("unknown API key", "Bearer "+wrongKey),
		unauthorized("API key without Bearer", wrongKey),
		unauthorized("Basic auth", "Basic amFuZTpzZWNyZXQ="),
		unauthorized("Bearer without a key", "Bearer"),
		unauthorized("key without the al_live_ prefix", "Bearer 00000000000000000000000000000000"),
		unauthorized("key not UTF-8", "Bearer al_live_\xff\xfe"),
	}
}

// listRefusals are the query refusals of a list; filter is an invalid filter ("" for none).
func listRefusals(filters ...string) []badRequest {
	invalid := func(query, field string) badRequest {
		return badRequest{name: "?" + query, query: query, status: 422, slug: "validation-failed", fields: []string{field}}
	}
	rs := []badRequest{
		invalid("cursor=garbage", "cursor"),
		invalid("cursor=zzz_01JD3Q6Z8K2V7T9X4M5N6P7R8S", "cursor"), // an id, of nothing any list holds
		invalid("cursor=%00", "cursor"),
		invalid("limit=0", "limit"),
		invalid("limit=101", "limit"),
		invalid("limit=-1", "limit"),
		invalid("limit=abc", "limit"),
		invalid("limit=1.5", "limit"),
		invalid("limit=99999999999999999999", "limit"),
	}
	for _, f := range filters {
		field, _, _ := strings.Cut(f, "=")
		rs = append(rs, invalid(f, field))
	}
	return append(keyRefusals(), rs...)
}
