package load

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Request is one API call and what a good answer looks like.
type Request struct {
	Path   string // default /v1/conversions
	Body   []byte
	Expect func(status int, body []byte) bool // nil: any 2xx
}

// Next gives the i-th request of a run, or false when there are no more.
type Next func(i int) (Request, bool)

// Client calls one server with one API key over keep-alive connections.
type Client struct {
	base, key string
	http      *http.Client
}

// NewClient is a client for up to conns connections at once.
func NewClient(baseURL, apiKey string, conns int) *Client {
	t := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     2 * time.Minute,
		DisableCompression:  true,
	}
	return &Client{base: baseURL, key: apiKey, http: &http.Client{Transport: t, Timeout: 30 * time.Second}}
}

// Close drops the idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Do sends r and reads the whole answer (so the connection is kept).
func (c *Client) Do(ctx context.Context, r Request) (int, []byte, error) {
	path := r.Path
	if path == "" {
		path = "/v1/conversions"
	}
	method := http.MethodPost
	if r.Body == nil {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(r.Body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res.StatusCode, body, err
}

// recorder gathers a run's answers.
type recorder struct {
	mu    sync.Mutex
	stats Stats
}

func (rec *recorder) add(r Request, status int, body []byte, err error, latency time.Duration) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	s := &rec.stats
	if s.Statuses == nil {
		s.Statuses = map[int]int{}
	}
	switch {
	case err != nil:
		s.Failed++
		return
	case r.Expect == nil && status/100 == 2, r.Expect != nil && r.Expect(status, body):
		s.OK++
	default:
		s.Wrong++
	}
	s.Statuses[status]++
	s.Latencies = append(s.Latencies, latency)
}

// Closed runs workers that each send their next request as soon as the last is answered, for
// d or until next has no more.
func (c *Client) Closed(ctx context.Context, workers int, d time.Duration, next Next) Stats {
	ctx, cancel := context.WithTimeout(ctx, d+35*time.Second) // a hung answer cannot hold the run
	defer cancel()
	var rec recorder
	var i, sent atomic.Int64
	var exhausted atomic.Bool
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for time.Now().Before(end) && ctx.Err() == nil {
				r, ok := next(int(i.Add(1) - 1))
				if !ok {
					exhausted.Store(true)
					return
				}
				sent.Add(1)
				t0 := time.Now()
				status, body, err := c.Do(ctx, r)
				rec.add(r, status, body, err, time.Since(t0))
			}
		})
	}
	wg.Wait()
	rec.stats.Elapsed = time.Since(start)
	rec.stats.Sent = int(sent.Load())
	rec.stats.Exhausted = exhausted.Load()
	return rec.stats
}

// Open sends rate requests per second, each at its scheduled time whatever the server is
// doing, for d; latency runs from the scheduled time. At most maxInFlight requests wait at
// once; past that the schedule slips, and that wait counts in the latency too.
func (c *Client) Open(ctx context.Context, rate float64, d time.Duration, maxInFlight int, next Next) Stats {
	ctx, cancel := context.WithTimeout(ctx, d+35*time.Second)
	defer cancel()
	var rec recorder
	slots := make(chan struct{}, maxInFlight)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	var wg sync.WaitGroup
	sent := 0
	for i := 0; ctx.Err() == nil; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d {
			break
		}
		r, ok := next(i)
		if !ok {
			rec.stats.Exhausted = true
			break
		}
		if wait := time.Until(at); wait > 0 {
			time.Sleep(wait)
		}
		slots <- struct{}{}
		sent++
		wg.Go(func() {
			defer func() { <-slots }()
			status, body, err := c.Do(ctx, r)
			rec.add(r, status, body, err, time.Since(at))
		})
	}
	wg.Wait()
	rec.stats.Elapsed = time.Since(start)
	rec.stats.Sent = sent
	return rec.stats
}
