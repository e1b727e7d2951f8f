package mail

import (
	"fmt"
	netmail "net/mail"
	"net/url"
	"strings"
)

// ParseFrom reads ADVOCATELOOP_MAIL_FROM: an address, optionally with a name
// (`"Glow Rewards" <rewards@glow.example>`). Empty means rewards@ the host of the public URL.
// The name, AdvocateLoop unless given, follows the practice's: "Glow Aesthetics via AdvocateLoop".
func ParseFrom(raw, publicURL string) (*netmail.Address, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		u, err := url.Parse(publicURL)
		if err != nil || u.Hostname() == "" {
			return nil, fmt.Errorf("no address given, and the public URL %q has no host to send from", publicURL)
		}
		raw = "rewards@" + u.Hostname()
	}
	a, err := netmail.ParseAddress(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not an email address such as rewards@glow.example or \"Glow\" <rewards@glow.example>", raw)
	}
	if a.Name == "" {
		a.Name = "AdvocateLoop"
	}
	return a, nil
}

// domain is the part of an address after the @.
func domain(address string) string {
	_, d, _ := strings.Cut(address, "@")
	return d
}
