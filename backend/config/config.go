// Package config is the one place that reads AdvocateLoop's configuration from the environment.
package config

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
)

// Config is everything the server can be told.
type Config struct {
	DatabaseURL string  // postgres://… or sqlite://PATH; empty means sqlite://advocateloop.db
	Addr        string  // where to listen, e.g. :8080
	PublicURL   string  // how patients and Zapier reach this server, without a trailing slash
	RateLimit   float64 // API requests per second per practice (bursts of twice that)
}

// FromEnv reads DATABASE_URL, ADVOCATELOOP_ADDR, ADVOCATELOOP_PUBLIC_URL and
// ADVOCATELOOP_RATE_LIMIT, with defaults that work on a laptop.
func FromEnv() (Config, error) {
	c := Config{
		DatabaseURL: os.Getenv("DATABASE_URL"),
		Addr:        os.Getenv("ADVOCATELOOP_ADDR"),
		PublicURL:   strings.TrimRight(os.Getenv("ADVOCATELOOP_PUBLIC_URL"), "/"),
		RateLimit:   20,
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
	return c, nil
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
