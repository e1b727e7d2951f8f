package main

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// flood is one rate limit and two callers: the flooder, who must meet 429 with Retry-After,
// and a bystander the limit does not cover, who must be served throughout.
type flood struct {
	name      string
	flooder   func() harness.Request
	bystander func() harness.Request
	from, by  *harness.Client
	every     time.Duration // how often the bystander asks: within its own allowance
}

// floods floods each rate limit: the API per practice, the public pages per address, sign-in
// per address (and its lock-out per email and address), unsigned webhooks per address and
// failed API keys per address.
func floods(ctx context.Context, e *env, t *harness.Tally) error {
	s, err := e.stack(ctx, t, options{practices: 2, vars: []string{"ADVOCATELOOP_RATE_LIMIT=5", "ADVOCATELOOP_PUBLIC_RATE_LIMIT=2"}})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	a, b := s.practices[0], s.practices[1]
	client := func(key, ip string) *harness.Client {
		return harness.NewClient(s.server().URL(), key, t, e.patience()).From(ip)
	}
	get := func(path string, kind harness.Kind) func() harness.Request {
		return func() harness.Request { return harness.Request{Method: http.MethodGet, Path: path, Kind: kind} }
	}
	signIn := func(c *harness.Client) func() harness.Request {
		return func() harness.Request { return loginAttempt(ctx, c, a.AdminEmail) }
	}
	webhookPath := s.webhookPath(ctx, a.ID, "payments")
	floods := []flood{
		{name: "the API, per practice", flooder: get("/v1/me", harness.API), bystander: get("/v1/me", harness.API),
			from: client(a.APIKey, "127.0.0.2"), by: client(b.APIKey, "127.0.0.2")},
		{name: "the public pages, per address", flooder: get("/p/"+a.Slug, harness.Page), bystander: get("/p/"+a.Slug, harness.Page),
			from: client("", "127.0.0.3"), by: client("", "127.0.0.4")},
		// Ten sign-ins a minute per address: the bystander tries about twice.
		{name: "sign-in, per address and email", from: client("", "127.0.0.5"), by: client("", "127.0.0.6"), every: time.Second},
		{name: "unsigned webhooks, per address", flooder: func() harness.Request {
			return harness.Request{Method: http.MethodPost, Path: webhookPath, Body: []byte(`{"invoice_number":"FLOOD","total":"10.00"}`)}
		}, bystander: func() harness.Request {
			return signed(webhookPath, a.WebhookSecret, mustJSON(map[string]string{"invoice_number": "BY-" + harness.NewKey()[6:18],
				"email": madeEmail(), "total": "10.00"}))
		}, from: client("", "127.0.0.7"), by: client("", "127.0.0.8")},
		{name: "failed API keys, per address", flooder: func() harness.Request {
			return harness.Request{Method: http.MethodGet, Path: "/v1/me", Header: http.Header{
				"Authorization": {"Bearer al_live_" + strings.Repeat("x", 24) + harness.NewKey()[6:14]}}}
		}, bystander: get("/v1/me", harness.API), from: client("", "127.0.0.9"), by: client(b.APIKey, "127.0.0.10")},
	}
	floods[2].flooder, floods[2].bystander = signIn(floods[2].from), signIn(floods[2].by)
	n := e.size(100, 400)
	for _, f := range floods {
		runFlood(ctx, t, f, n)
		f.from.Close()
		f.by.Close()
	}
	return nil
}

// runFlood sends n requests from the flooder, ten at a time, while the bystander asks now and
// then; then the flooder waits out its Retry-After and must be let back in.
func runFlood(ctx context.Context, t *harness.Tally, f flood, n int) {
	var mu sync.Mutex
	limited, noRetryAfter, wait := 0, 0, 0
	done := make(chan struct{})
	bystanders := make(chan []*harness.Answer, 1)
	go func() {
		var seen []*harness.Answer
		for {
			seen = append(seen, f.by.Once(ctx, f.bystander()))
			select {
			case <-done:
				// Once more after the flood: a lock-out it caused must not reach the bystander.
				bystanders <- append(seen, f.by.Once(ctx, f.bystander()))
				return
			case <-time.After(cmp.Or(f.every, 250*time.Millisecond)):
			}
		}
	}()
	parallel(ctx, 10, n, func(int) {
		a := f.from.Once(ctx, f.flooder())
		if a.Status != http.StatusTooManyRequests {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		limited++
		if s := a.Header.Get("Retry-After"); s == "" {
			noRetryAfter++
		} else if d, err := time.ParseDuration(s + "s"); err == nil {
			wait = max(wait, int(d.Seconds()))
		}
	})
	close(done)
	for _, a := range <-bystanders {
		if a.Status == 0 || a.Status == http.StatusTooManyRequests || a.Status >= 500 {
			t.Fail("%s: a bystander was answered %s during the flood", f.name, a)
		}
	}
	switch {
	case limited == 0:
		t.Fail("%s: %d requests in a burst, none refused with 429", f.name, n)
		return
	case noRetryAfter > 0:
		t.Fail("%s: %d answers 429 without Retry-After", f.name, noRetryAfter)
	}
	if wait <= 5 {
		sleep(ctx, time.Duration(wait)*time.Second+100*time.Millisecond)
		if a := f.from.Once(ctx, f.flooder()); a.Status == http.StatusTooManyRequests {
			t.Fail("%s: still 429 after waiting out Retry-After (%d s)", f.name, wait)
		}
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loginAttempt is a sign-in with a wrong password, as a browser makes it: the form's CSRF
// token and its cookie come from GET /login first.
func loginAttempt(ctx context.Context, c *harness.Client, email string) harness.Request {
	page := c.Once(ctx, harness.Request{Method: http.MethodGet, Path: "/login", Kind: harness.Page})
	token, cookie := "", ""
	if m := csrfField.FindSubmatch(page.Body); m != nil {
		token = string(m[1])
	}
	for _, c := range (&http.Response{Header: page.Header}).Cookies() {
		cookie += c.Name + "=" + c.Value + "; "
	}
	form := url.Values{"email": {email}, "password": {"not-the-password-" + harness.NewKey()[6:10]}, "csrf": {token}}
	return harness.Request{Method: http.MethodPost, Path: "/login", Body: []byte(form.Encode()), Kind: harness.Page,
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Cookie": {cookie}}}
}
