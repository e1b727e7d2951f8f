package referral

import (
	"net/url"
	"regexp"
)

// webChecks are the validate tags for the web addresses and colours of PracticeSettings.
var webChecks = map[string]func(string) bool{
	"brand_color": regexp.MustCompile(`^#[0-9a-f]{6}$`).MatchString,
	// Logos are shown on https pages: an http logo would be blocked as mixed content.
	"https_url": func(s string) bool { return webURL(s, "https") },
	"web_url":   func(s string) bool { return webURL(s, "http", "https") },
	"origin":    isOrigin,
}

func webURL(s string, schemes ...string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	for _, scheme := range schemes {
		if u.Scheme == scheme {
			return true
		}
	}
	return false
}

// isOrigin accepts what a browser sends as Origin: a scheme, a host and maybe a port.
func isOrigin(s string) bool {
	u, err := url.Parse(s)
	return err == nil && webURL(s, "http", "https") && u.Path == "" && u.RawQuery == "" &&
		u.Fragment == "" && u.Opaque == "" && s == u.Scheme+"://"+u.Host
}
