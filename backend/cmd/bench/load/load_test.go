package load

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		var out []time.Duration
		for _, x := range xs {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	ds := ms(9, 1, 8, 2, 7, 3, 6, 4, 5, 10) // unsorted on purpose
	for p, want := range map[float64]int{50: 5, 90: 9, 99: 10, 100: 10, 10: 1, 0.1: 1} {
		if got := Percentile(ds, p); got != time.Duration(want)*time.Millisecond {
			t.Errorf("p%v = %v, want %dms", p, got, want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("no latencies, yet a percentile")
	}
	if ds[0] != 9*time.Millisecond {
		t.Error("Percentile sorted its argument")
	}
}

func TestMedian(t *testing.T) {
	if Median([]float64{3, 1, 2}) != 2 || Median([]float64{4, 1, 3, 2}) != 2.5 || Median(nil) != 0 {
		t.Error("median")
	}
}

// A server that takes 20 ms per request: a closed loop of 2 workers makes at most 100 per
// second; an open loop at 25 per second sends each request on time, and counts the wait from
// the scheduled time when the server falls behind. (Bounds are loose: a busy machine is slow.)
func TestLoops(t *testing.T) {
	var busy atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer k" {
			w.WriteHeader(401)
			return
		}
		io.Copy(io.Discard, r.Body)
		if busy.Load() > 0 {
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		w.WriteHeader(201)
		w.Write([]byte(`{"outcome":"converted"}`))
	}))
	defer srv.Close()
	c := NewClient(srv.URL, "k", 8)
	defer c.Close()
	ctx := context.Background()
	req := Request{Body: []byte(`{}`), Expect: func(s int, b []byte) bool { return s == 201 && string(b) == `{"outcome":"converted"}` }}
	every := func(int) (Request, bool) { return req, true }

	closed := c.Closed(ctx, 2, 500*time.Millisecond, every)
	if r := closed.Rate(); r < 10 || r > 105 || closed.Wrong+closed.Failed != 0 {
		t.Errorf("closed loop: %.0f/s, %+v", r, closed)
	}

	open := c.Open(ctx, 25, 400*time.Millisecond, 64, every)
	if open.Sent != 10 || open.OK != 10 || open.Percentile(50) < 20*time.Millisecond {
		t.Errorf("open loop: %+v p50 %v", open, open.Percentile(50))
	}

	few := func(i int) (Request, bool) { return req, i < 3 }
	if s := c.Closed(ctx, 1, 5*time.Second, few); !s.Exhausted || s.OK != 3 {
		t.Errorf("exhausted run: %+v", s)
	}

	// One worker slot and a server that now takes 220 ms: requests scheduled every 40 ms wait
	// for the slot, and their latency shows it.
	busy.Store(1)
	slow := c.Open(ctx, 25, 200*time.Millisecond, 1, every)
	if slow.Percentile(100) < 600*time.Millisecond {
		t.Errorf("open loop hid the queue: p100 %v", slow.Percentile(100))
	}
	wrong := c.Closed(ctx, 1, 100*time.Millisecond, func(int) (Request, bool) {
		return Request{Body: []byte(`{}`), Expect: func(s int, _ []byte) bool { return s == 200 }}, true
	})
	if wrong.Wrong == 0 || wrong.OK != 0 || wrong.Statuses[201] != wrong.Wrong {
		t.Errorf("unexpected answers not counted: %+v", wrong)
	}
}
