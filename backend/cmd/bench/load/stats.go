// Package load drives the server from outside, on loopback with keep-alive connections: a
// closed loop (N workers, each sending its next request when the last is answered) for
// throughput, and a constant arrival rate (an open loop, latency counted from each request's
// scheduled time, so a slow server cannot hide its queue) for latency under a given load.
package load

import (
	"math"
	"slices"
	"time"
)

// Stats is what a run measured.
type Stats struct {
	Sent      int           // requests started
	OK        int           // answered with the status the request expected
	Wrong     int           // answered, but not as expected (another status, another outcome)
	Failed    int           // no answer (connection trouble, timeout)
	Elapsed   time.Duration // from the first send to the last answer
	Latencies []time.Duration
	Statuses  map[int]int
	// Exhausted is set when the run ran out of requests to send before its time was up.
	Exhausted bool
}

// Rate is answered-as-expected requests per second.
func (s Stats) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.OK) / s.Elapsed.Seconds()
}

// Percentile is the p-th percentile latency (nearest rank), 0 without any.
func (s Stats) Percentile(p float64) time.Duration { return Percentile(s.Latencies, p) }

// Percentile is the nearest-rank p-th percentile of ds (0 < p ≤ 100); ds need not be sorted.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// Median is the middle of xs (the mean of the two middle ones for an even count), 0 without any.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// Ms is a duration in milliseconds.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
