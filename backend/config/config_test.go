package config_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

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

func TestEmail(t *testing.T) {
	t.Setenv("ADVOCATELOOP_PUBLIC_URL", "https://refer.glow.example/")
	c, err := config.FromEnv()
	if err != nil || c.SMTPURL != "" || c.MailFrom != "" {
		t.Fatalf("defaults = %q %q, %v: want no SMTP server (the mailbox) and the default sender", c.SMTPURL, c.MailFrom, err)
	}

	for _, ok := range []string{
		"smtp://ann:s3cret@mail.glow.example:587",
		"smtp://relay.internal:25",
		"smtps://ann%40glow.example:p%40ss%3Aw0rd@mail.glow.example:465",
		"SMTP://relay.internal",
	} {
		t.Setenv("ADVOCATELOOP_SMTP_URL", ok)
		if c, err := config.FromEnv(); err != nil || c.SMTPURL != ok {
			t.Errorf("ADVOCATELOOP_SMTP_URL=%q: %q, %v", ok, c.SMTPURL, err)
		}
	}
	for _, bad := range []string{
		"http://ann:s3cret@mail.glow.example",       // not SMTP
		"mail.glow.example:587",                     // no scheme
		"smtp://ann@mail.glow.example:587",          // a user without a password
		"smtp://:s3cret@mail.glow.example:587",      // a password without a user
		"smtp://ann:s3cret@mail.glow.example:smtp",  // not a port number
		"smtp://ann:s3cret@:587",                    // no host
		"smtp://ann:s3cret@mail.glow.example/inbox", // a path
		"smtps://ann:s3cret@mail.glow.example?tls=false",
		"smtp://ann:s3cret@mail.glow.example:70000",
	} {
		t.Run(bad, func(t *testing.T) {
			t.Setenv("ADVOCATELOOP_SMTP_URL", bad)
			_, err := config.FromEnv()
			if err == nil {
				t.Fatalf("accepted")
			}
			if !strings.Contains(err.Error(), "ADVOCATELOOP_SMTP_URL") || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q must name the variable and never show the password", err)
			}
		})
	}
	t.Setenv("ADVOCATELOOP_SMTP_URL", "")

	for _, from := range []string{"rewards@glow.example", `"Glow Rewards" <rewards@glow.example>`} {
		t.Setenv("ADVOCATELOOP_MAIL_FROM", from)
		if c, err := config.FromEnv(); err != nil || c.MailFrom != from {
			t.Errorf("ADVOCATELOOP_MAIL_FROM=%q: %q, %v", from, c.MailFrom, err)
		}
	}
	t.Setenv("ADVOCATELOOP_MAIL_FROM", "the front desk")
	if _, err := config.FromEnv(); err == nil || !strings.Contains(err.Error(), "ADVOCATELOOP_MAIL_FROM") {
		t.Errorf("ADVOCATELOOP_MAIL_FROM that is no address: %v", err)
	}
}

func TestRequestTimeout(t *testing.T) {
	c, err := config.FromEnv()
	if err != nil || c.RequestTimeout != config.DefaultRequestTimeout {
		t.Fatalf("default = %v, %v; want %v", c.RequestTimeout, err, config.DefaultRequestTimeout)
	}
	t.Setenv("ADVOCATELOOP_REQUEST_TIMEOUT", "2s")
	if c, err := config.FromEnv(); err != nil || c.RequestTimeout != 2*time.Second {
		t.Errorf("2s = %v, %v", c.RequestTimeout, err)
	}
	// Past the write timeout an answer could no longer be written.
	for _, bad := range []string{"soon", "0s", "-1s", "30s"} {
		t.Setenv("ADVOCATELOOP_REQUEST_TIMEOUT", bad)
		if _, err := config.FromEnv(); err == nil {
			t.Errorf("ADVOCATELOOP_REQUEST_TIMEOUT=%q was accepted", bad)
		}
	}
}
