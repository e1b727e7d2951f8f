package harness

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"time"
)

// Answer is what one request came to: a status, or no answer at all (Status 0).
type Answer struct {
	Status   int
	Header   http.Header
	Body     []byte
	Err      error         // why there was no answer
	Written  bool          // the whole request went out before any failure
	At       time.Time     // when the answer (or the failure) came
	Took     time.Duration // of the last attempt
	Attempts int
}

// OK reports a 2xx: the server acknowledged the request.
func (a *Answer) OK() bool { return a.Status >= 200 && a.Status < 300 }

// Problem is the slug of a problem answer's type ("not-found"), or "".
func (a *Answer) Problem() string {
	var p struct {
		Type string `json:"type"`
	}
	if !strings.Contains(a.Header.Get("Content-Type"), "problem+json") || json.Unmarshal(a.Body, &p) != nil {
		return ""
	}
	return strings.TrimPrefix(p.Type, "/problems/")
}

// Decode reads a JSON answer into v.
func (a *Answer) Decode(v any) error { return json.Unmarshal(a.Body, v) }

// String names the answer for a report: "409 request-in-progress", "no answer (EOF)".
func (a *Answer) String() string {
	if a.Status == 0 {
		return "no answer"
	}
	return strings.TrimSpace(strconv.Itoa(a.Status) + " " + a.Problem())
}

// Unacknowledged is how a Zap sees an answer it should send again: no answer, a server error,
// a rate limit, or the same key still in progress.
func (a *Answer) Unacknowledged() bool {
	return a.Status == 0 || a.Status >= 500 || a.Status == http.StatusTooManyRequests ||
		a.Status == http.StatusConflict && a.Problem() == "request-in-progress"
}

// retryAfter is the server's Retry-After in seconds, or 0.
func (a *Answer) retryAfter() time.Duration {
	if a.Header == nil {
		return 0
	}
	s, err := strconv.Atoi(a.Header.Get("Retry-After"))
	if err != nil || s < 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}

// Patience bounds how long a client keeps sending a request that is not acknowledged.
type Patience struct {
	Attempts   int           // at most this many attempts
	Within     time.Duration // and none started after this long
	PerAttempt time.Duration // each attempt's own timeout (Zapier gives an action 30 s)
	MaxWait    time.Duration // the longest Retry-After honoured between attempts
}

// Request is one request as a caller means it; Send may send it several times.
type Request struct {
	Method, Path string
	Header       http.Header
	Body         []byte
	// Lag holds the body back this long after the headers, as Node, Python and Zapier do.
	Lag  time.Duration
	Kind Kind
}

// Client is one caller of one server: an API key (or none) from one loopback address.
type Client struct {
	Base     string // http://127.0.0.1:port
	Key      string // sent as a Bearer token when set
	Tally    *Tally
	Patience Patience
	http     *http.Client
	dialer   *net.Dialer
}

// NewClient is a caller from 127.0.0.1; From gives one from another loopback address.
func NewClient(base, key string, t *Tally, p Patience) *Client {
	c := &Client{Base: base, Key: key, Tally: t, Patience: p}
	return c.From("")
}

// From is the same caller connecting from another loopback address, such as 127.0.0.7, so
// that per-address limits see a different client.
func (c *Client) From(ip string) *Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if ip != "" {
		dialer.LocalAddr = &net.TCPAddr{IP: net.ParseIP(ip)}
	}
	copied := *c
	copied.dialer = dialer
	copied.http = &http.Client{
		Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil, MaxIdleConnsPerHost: 64,
			IdleConnTimeout: 30 * time.Second, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &copied
}

// To is the same caller talking to another server.
func (c *Client) To(base string) *Client {
	copied := *c
	copied.Base = base
	return &copied
}

// WithKey is the same caller with another API key.
func (c *Client) WithKey(key string) *Client {
	copied := *c
	copied.Key = key
	return &copied
}

// Close drops idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// PostJSON sends a JSON body as a Zap would: with an Idempotency-Key, again and again with
// the same key and body until acknowledged or out of patience.
func (c *Client) PostJSON(ctx context.Context, path string, body any) *Answer {
	b, err := json.Marshal(body)
	if err != nil {
		panic("chaos: a request body must marshal: " + err.Error())
	}
	return c.Send(ctx, Request{Method: http.MethodPost, Path: path, Body: b})
}

// Get reads as a Zap's search does, retrying what was not acknowledged.
func (c *Client) Get(ctx context.Context, path string) *Answer {
	return c.Send(ctx, Request{Method: http.MethodGet, Path: path})
}

// Send sends r until it is acknowledged or answered for good, within the client's patience.
// A POST gets one Idempotency-Key for all its attempts.
func (c *Client) Send(ctx context.Context, r Request) *Answer {
	if r.Method == http.MethodPost && r.Header.Get("Idempotency-Key") == "" {
		r.Header = r.Header.Clone()
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header.Set("Idempotency-Key", NewKey())
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		a := c.Once(ctx, r)
		a.Attempts = attempt
		if !a.Unacknowledged() || attempt >= c.Patience.Attempts || ctx.Err() != nil {
			return a
		}
		wait := min(a.retryAfter(), c.Patience.MaxWait)
		if wait == 0 {
			// No hint: back off from 100 ms to a second, with jitter so retries spread out.
			wait = min(100*time.Millisecond<<min(attempt-1, 4), time.Second)
			wait = wait/2 + rand.N(wait/2+1)
		}
		if time.Since(start)+wait > c.Patience.Within {
			return a
		}
		select {
		case <-ctx.Done():
			return a
		case <-time.After(wait):
		}
	}
}

// Once sends r exactly once and counts the answer.
func (c *Client) Once(ctx context.Context, r Request) *Answer {
	a := c.exchange(ctx, r)
	c.Tally.Observe(r.Method, r.Path, a, r.Kind)
	return a
}

func (c *Client) exchange(ctx context.Context, r Request) *Answer {
	ctx, cancel := context.WithTimeout(ctx, c.Patience.PerAttempt)
	defer cancel()
	a := &Answer{}
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) { a.Written = info.Err == nil },
	})
	body := func() io.ReadCloser { return io.NopCloser(&lagged{ctx: ctx, wait: r.Lag, r: bytes.NewReader(r.Body)}) }
	req, err := http.NewRequestWithContext(ctx, r.Method, c.Base+r.Path, nil)
	if err != nil {
		panic("chaos: a request must be well formed: " + err.Error())
	}
	if r.Body != nil {
		req.Body, req.GetBody, req.ContentLength = body(), func() (io.ReadCloser, error) { return body(), nil }, int64(len(r.Body))
		req.Header.Set("Content-Type", "application/json")
	}
	for name, values := range r.Header {
		req.Header[name] = values
	}
	if c.Key != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	start := time.Now()
	res, err := c.http.Do(req)
	if err == nil {
		a.Status, a.Header = res.StatusCode, res.Header
		a.Body, err = io.ReadAll(io.LimitReader(res.Body, 4<<20))
		res.Body.Close()
		if err != nil { // the answer broke off: it was not received
			a.Status, a.Header, a.Body = 0, nil, nil
		}
	}
	a.Err, a.At, a.Took = err, time.Now(), time.Since(start)
	return a
}

// lagged is a body that waits before its first byte.
type lagged struct {
	ctx    context.Context
	wait   time.Duration
	r      *bytes.Reader
	waited bool
}

func (l *lagged) Read(p []byte) (int, error) {
	if !l.waited {
		l.waited = true
		select {
		case <-time.After(l.wait):
		case <-l.ctx.Done():
			return 0, l.ctx.Err()
		}
	}
	return l.r.Read(p)
}

// NewKey is a fresh Idempotency-Key, as Zapier makes one per step run.
func NewKey() string {
	b := make([]byte, 12)
	_, _ = crand.Read(b)
	return "chaos-" + hex.EncodeToString(b)
}
