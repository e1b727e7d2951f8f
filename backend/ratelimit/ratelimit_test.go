package ratelimit_test

import (
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/ratelimit"
)

func TestAllowGivesEachKeyItsBurst(t *testing.T) {
	l := ratelimit.New(0.5, 3, nil) // one token every two seconds: none comes back during the test
	for i := range 3 {
		if ok, _ := l.Allow("203.0.113.5"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("203.0.113.5")
	if ok || wait <= 0 || wait > 2*time.Second {
		t.Errorf("past the burst: ok=%v wait=%v, want refused with a wait of at most 2s", ok, wait)
	}
	if got := ratelimit.RetryAfter(wait); got < 1 || got > 2 {
		t.Errorf("RetryAfter(%v) = %d", wait, got)
	}
	if ok, _ := l.Allow("203.0.113.6"); !ok {
		t.Error("another key was refused: keys must not share a bucket")
	}
}

// A refused request takes no token: a caller hammering the limit is not locked out for longer.
func TestRefusalTakesNothing(t *testing.T) {
	l := ratelimit.New(1000, 1, nil)
	l.Allow("k")
	for range 5 {
		l.Allow("k")
	}
	time.Sleep(5 * time.Millisecond) // five tokens' worth of refill, but the bucket holds one
	if ok, wait := l.Allow("k"); !ok {
		t.Errorf("after the refill: refused, wait %v", wait)
	}
}

func TestDefaults(t *testing.T) {
	l := ratelimit.New(0, 0, nil) // 20 a second, bursts of 40
	n := 0
	for {
		if ok, _ := l.Allow("k"); !ok {
			break
		}
		n++
	}
	if n < 40 || n > 41 {
		t.Errorf("default burst = %d, want 40", n)
	}
}

func TestRetryAfterIsAtLeastOneSecond(t *testing.T) {
	for wait, want := range map[time.Duration]int{0: 1, time.Millisecond: 1, 1500 * time.Millisecond: 2, 30 * time.Second: 30} {
		if got := ratelimit.RetryAfter(wait); got != want {
			t.Errorf("RetryAfter(%v) = %d, want %d", wait, got, want)
		}
	}
}

// Wait looks at a bucket without taking from it.
func TestWaitTakesNothing(t *testing.T) {
	l := ratelimit.New(0.5, 2, nil)
	if wait := l.Wait("k"); wait != 0 {
		t.Errorf("a new key waits %v", wait)
	}
	for range 5 {
		l.Wait("k")
	}
	l.Allow("k")
	if wait := l.Wait("k"); wait != 0 {
		t.Errorf("with a token left: wait %v", wait)
	}
	l.Allow("k")
	if wait := l.Wait("k"); wait <= time.Second || wait > 2*time.Second {
		t.Errorf("with none left: wait %v, want up to the 2s one token takes", wait)
	}
	if ok, _ := l.Allow("k"); ok {
		t.Error("Wait gave a token back")
	}
}
