// Package config is the one place that reads AdvocateLoop's configuration from the environment.
package config

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/mail"
)

// Request deadlines: the default leaves a busy database time to answer, and the maximum stays
// well below the server's 30 s write timeout, past which an answer can no longer be written.
const (
	DefaultRequestTimeout = 20 * time.Second
	MaxRequestTimeout     = 25 * time.Second
)

// Config is everything the server can be told.
type Config struct {
	DatabaseURL string  // postgres://… or sqlite://PATH; empty means sqlite://advocateloop.db
	Addr        string  // where to listen, e.g. :8080
	PublicURL   string  // how patients and Zapier reach this server, without a trailing slash
	RateLimit   float64 // API requests per second per practice (bursts of twice that)
	// PublicRateLimit is requests per second per IP on the widget and patient pages (bursts of 60).
	PublicRateLimit float64
	// TrustedProxies are load balancers whose X-Forwarded-For names the client for the per-IP
	// limit; without them the connection's address is the client.
	TrustedProxies []netip.Prefix
	// AllowPrivateHooks lets hooks target loopback and private addresses: development only.
	AllowPrivateHooks bool
	DeliveryInterval  time.Duration // how often the delivery and mail workers look for due work
	// RequestTimeout is how long a request may take before it answers 503 with Retry-After;
	// every database call of the request is cancelled with it. It stays below the server's
	// write timeout so the answer always gets out.
	RequestTimeout time.Duration
	// SMTPURL is where email is handed over: smtp://user:password@host:587 (STARTTLS),
	// smtp://host:25 (a relay) or smtps://user:password@host:465. Empty keeps every message in
	// the dashboard's mailbox.
	SMTPURL string
	// MailFrom is the address email comes from, optionally with a name; empty means rewards@
	// the public URL's host.
	MailFrom string
	// FailedKeyLimit is how many wrong API keys one client address may send a minute before
	// its keys are answered 429; zero means api.DefaultFailedKeyLimit (20). Tests raise it.
	FailedKeyLimit int
	// IdempotencyLease is how long an Idempotency-Key stays held for a request whose server
	// stopped renewing it; zero means storage.DefaultIdempotencyLease. Tests shorten it.
	IdempotencyLease time.Duration
}

// FromEnv reads DATABASE_URL, ADVOCATELOOP_ADDR, ADVOCATELOOP_PUBLIC_URL,
// ADVOCATELOOP_RATE_LIMIT, ADVOCATELOOP_PUBLIC_RATE_LIMIT, ADVOCATELOOP_TRUSTED_PROXIES,
// ADVOCATELOOP_ALLOW_PRIVATE_HOOKS, ADVOCATELOOP_DELIVERY_INTERVAL, ADVOCATELOOP_REQUEST_TIMEOUT,
// ADVOCATELOOP_SMTP_URL and ADVOCATELOOP_MAIL_FROM, with defaults that work on a laptop.
func FromEnv() (Config, error) {
	c := Config{
		DatabaseURL:      os.Getenv("DATABASE_URL"),
		Addr:             os.Getenv("ADVOCATELOOP_ADDR"),
		PublicURL:        strings.TrimRight(os.Getenv("ADVOCATELOOP_PUBLIC_URL"), "/"),
		RateLimit:        20,
		PublicRateLimit:  2,
		DeliveryInterval: time.Second,
		RequestTimeout:   DefaultRequestTimeout,
		SMTPURL:          strings.TrimSpace(os.Getenv("ADVOCATELOOP_SMTP_URL")),
		MailFrom:         strings.TrimSpace(os.Getenv("ADVOCATELOOP_MAIL_FROM")),
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite://advocateloop.db"
	}
	if c.Addr == "" {
		c.Addr = ":8080"
	}
	if c.PublicURL == "" {
		c.PublicURL = localURL(c.Addr)
	}
	if v := os.Getenv("ADVOCATELOOP_RATE_LIMIT"); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("config: ADVOCATELOOP_RATE_LIMIT must be a positive number, got %q", v)
		}
		c.RateLimit = n
	}
	if v := os.Getenv("ADVOCATELOOP_PUBLIC_RATE_LIMIT"); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("config: ADVOCATELOOP_PUBLIC_RATE_LIMIT must be a positive number, got %q", v)
		}
		c.PublicRateLimit = n
	}
	if v := os.Getenv("ADVOCATELOOP_TRUSTED_PROXIES"); v != "" {
		proxies, err := parsePrefixes(v)
		if err != nil {
			return c, fmt.Errorf("config: ADVOCATELOOP_TRUSTED_PROXIES must be comma-separated addresses or CIDR ranges such as 10.0.0.0/8: %w", err)
		}
		c.TrustedProxies = proxies
	}
	if v := os.Getenv("ADVOCATELOOP_ALLOW_PRIVATE_HOOKS"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("config: ADVOCATELOOP_ALLOW_PRIVATE_HOOKS must be true or false, got %q", v)
		}
		c.AllowPrivateHooks = b
	}
	if v := os.Getenv("ADVOCATELOOP_DELIVERY_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("config: ADVOCATELOOP_DELIVERY_INTERVAL must be a duration such as 1s, got %q", v)
		}
		c.DeliveryInterval = d
	}
	if v := os.Getenv("ADVOCATELOOP_REQUEST_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > MaxRequestTimeout {
			return c, fmt.Errorf("config: ADVOCATELOOP_REQUEST_TIMEOUT must be a duration from 1ms to %s, such as 20s, got %q", MaxRequestTimeout, v)
		}
		c.RequestTimeout = d
	}
	if c.SMTPURL != "" {
		if _, err := mail.ParseURL(c.SMTPURL); err != nil {
			return c, fmt.Errorf("config: ADVOCATELOOP_SMTP_URL %w", err)
		}
	}
	if _, err := mail.ParseFrom(c.MailFrom, c.PublicURL); err != nil {
		return c, fmt.Errorf("config: ADVOCATELOOP_MAIL_FROM: %w", err)
	}
	return c, nil
}

// parsePrefixes reads "10.0.0.0/8, 192.0.2.7": a bare address is a range of one.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("%q is neither", item)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// localURL is the address a developer's browser reaches a local server on.
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
