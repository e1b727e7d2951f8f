package edge

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// The baseline every response starts from: browsers take the declared content type at its
// word, pass no Referer on, load nothing for it and frame it nowhere. A surface with a policy
// of its own (the patient pages, the dashboard, /docs, the widget) sets its headers over these,
// so its own policy stands whole, never merged with this one.
var baseline = map[string]string{
	"X-Content-Type-Options":  "nosniff",
	"X-Frame-Options":         "DENY",
	"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
	"Referrer-Policy":         "no-referrer",
}

// strictTransport keeps browsers on https for two years, subdomains too, once they have seen
// the server there. Over plain http it would lock a development server out of its browser.
const strictTransport = "max-age=63072000; includeSubDomains"

// SecureHeaders sets the baseline before anything answers, so every answer carries it, even
// one cut short by a limit, a refused key or a panic.
func SecureHeaders(publicURL string) gin.HandlerFunc {
	https := HTTPS(publicURL)
	return func(c *gin.Context) {
		h := c.Writer.Header()
		for name, value := range baseline {
			h.Set(name, value)
		}
		if https {
			h.Set("Strict-Transport-Security", strictTransport)
		}
		c.Next()
	}
}

// HTTPS tells whether the public URL is https: then cookies are Secure and browsers are told to
// stay on https.
func HTTPS(publicURL string) bool { return strings.HasPrefix(strings.ToLower(publicURL), "https://") }
