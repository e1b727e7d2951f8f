package app_test

import (
	"net/netip"
	"strconv"
	"testing"

	"github.com/advocateloop/advocateloop/backend/config"
)

// TestWrongKeysAreLimitedPerAddress: an address that sends 20 wrong API keys in a minute gets
// 429 with Retry-After for its next ones, which are no longer looked up. Another address is
// not affected, and neither is a key that worked recently, from any address: Zapier sends
// every practice's Zaps from a few shared addresses, so one practice's revoked key must not
// stop the others'. A key this server has not seen work waits out the limit like any other.
func TestWrongKeysAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	s := mustServe(t, func(c *config.Config) {
		c.FailedKeyLimit = 20
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} // X-Forwarded-For names the client
	})
	busy, quiet := "203.0.113.66", "198.51.100.7"
	a := s.mustPractice(t, "Glow Aesthetics")
	b := s.mustPractice(t, "Radiance Med Spa")
	from := func(address, auth string) int {
		t.Helper()
		res := s.Client.For(t).WithHeader("X-Forwarded-For", address).WithHeader("Authorization", auth).Get("/v1/me")
		if res.Status == 429 {
			if p := res.Problem(t); p.Slug() != "rate-limited" {
				t.Errorf("429 %s, want rate-limited", p.Type)
			}
			if n, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || n < 1 || n > 3 {
				t.Errorf("Retry-After %q, want the 1 to 3 seconds a failure takes to be forgiven", res.Header.Get("Retry-After"))
			}
		}
		return res.Status
	}
	if got := from(busy, "Bearer "+a.Key); got != 200 { // a's key has worked from the busy address
		t.Fatalf("a's key: %d", got)
	}

	// 20 wrong keys are answered 401, then 429; a slow machine may earn back a failure or two
	// (one every 3 s) on the way.
	refused := 0
	for i := 0; refused == 0; i++ {
		auth := "Bearer " + wrongKey
		if i%4 == 3 {
			auth = "Basic amFuZTpzZWNyZXQ=" // no key at all counts as a wrong one
		}
		switch got := from(busy, auth); {
		case got == 429 && i >= 20:
			refused = i + 1
		case got != 401 || i == 25:
			t.Fatalf("wrong key %d: %d, want 401 for the first 20, then 429", i+1, got)
		}
	}
	for _, tc := range []struct {
		name, address, auth string
		want                int
	}{
		{"another wrong key", busy, "Bearer " + wrongKey, 429},
		{"no key", busy, "", 429},
		{"a key that worked recently", busy, "Bearer " + a.Key, 200},
		{"a key not seen working yet", busy, "Bearer " + b.Key, 429},
		{"a wrong key from another address", quiet, "Bearer " + wrongKey, 401},
		{"b's key from another address", quiet, "Bearer " + b.Key, 200},
		{"b's key, now seen working, from the busy address", busy, "Bearer " + b.Key, 200},
	} {
		if got := from(tc.address, tc.auth); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
