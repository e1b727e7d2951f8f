// Package logging builds the server's structured logger, which never writes a whole email.
package logging

import (
	"io"
	"log/slog"
	"regexp"
	"strings"
)

// New returns a JSON slog logger whose string attributes have emails masked.
func New(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindString {
				a.Value = slog.StringValue(MaskEmails(a.Value.String()))
			}
			return a
		},
	}))
}

var email = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// MaskEmails keeps an email's first letter and domain: jane@glow.com → j***@glow.com.
func MaskEmails(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	return email.ReplaceAllStringFunc(s, func(m string) string {
		local, domain, _ := strings.Cut(m, "@")
		return local[:1] + "***@" + domain
	})
}
