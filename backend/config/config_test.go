package config_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/advocateloop/advocateloop/backend/config"
)

func TestPublicLimits(t *testing.T) {
	c, err := config.FromEnv()
	if err != nil || c.PublicRateLimit != 2 || len(c.TrustedProxies) != 0 {
		t.Fatalf("defaults = %v, %v: want 2 requests a second per IP and no trusted proxy", c, err)
	}

	t.Setenv("ADVOCATELOOP_PUBLIC_RATE_LIMIT", "0.5")
	t.Setenv("ADVOCATELOOP_TRUSTED_PROXIES", " 10.1.2.3/8, 192.0.2.7 ,2001:db8::/32,")
	c, err = config.FromEnv()
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("2001:db8::/32")}
	if err != nil || c.PublicRateLimit != 0.5 || !slices.Equal(c.TrustedProxies, want) {
		t.Errorf("FromEnv = %v %v, %v; want 0.5 and %v", c.PublicRateLimit, c.TrustedProxies, err, want)
	}

	for name, value := range map[string]string{
		"ADVOCATELOOP_PUBLIC_RATE_LIMIT": "fast",
		"ADVOCATELOOP_TRUSTED_PROXIES":   "the load balancer",
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(name, value)
			if _, err := config.FromEnv(); err == nil {
				t.Errorf("%s=%q was accepted", name, value)
			}
		})
	}
}
