package web

import (
	"embed"
	"log/slog"
	"net/http"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

//go:embed templates/*.html static/page.js
var files embed.FS

// pages are the patient pages; the copy button's script is their one script.
var pages = edge.NewPages(edge.Layout{
	Files:    files,
	Layout:   []string{"templates/layout.html", "templates/parts.html"},
	Pages:    []string{"join", "claim", "message", "me", "signin", "unsubscribe"},
	Script:   mustRead("static/page.js"),
	Referrer: "strict-origin-when-cross-origin",
})

func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// chrome is what the layout shows around every page.
type chrome struct {
	Title    string
	Practice *referral.Practice // nil on pages of no practice, such as an unknown address
	NoIndex  bool               // personal pages stay out of search engines
	Script   bool               // the page has a copy button
	// Secret is true when the page's own address holds a token: no Referer may carry it on,
	// not even to the practice's logo.
	Secret  bool
	Preview *preview // Open Graph tags, for a link shared in a messaging app
}

// AddressIsSecret makes the page edge.Secret.
func (c chrome) AddressIsSecret() bool { return c.Secret }

// messagePage is a page that only says something: not found, too many requests, an error,
// with at most one link onwards.
type messagePage struct {
	chrome
	Heading  string
	Text     string
	Link     string // an address, or empty for none
	LinkText string
}

func (s *site) notFound(w http.ResponseWriter, r *http.Request) {
	pages.Render(w, http.StatusNotFound, "message", messagePage{
		chrome:  chrome{Title: "Page not found", NoIndex: true},
		Heading: "We couldn't find this page",
		Text:    "The link may have a typo, or the invitation is no longer active. Check the link, or ask the person who shared it for a new one.",
	})
}

// failPage answers an error of a page: a missing practice or invitation is the 404 page,
// anything else is logged and apologised for.
func (s *site) failPage(w http.ResponseWriter, r *http.Request, err error) {
	switch referral.ErrorCode(err) {
	case referral.ENotFound:
		s.notFound(w, r)
		return
	case referral.EUnavailable:
		slog.WarnContext(r.Context(), "page unavailable", "request_id", edge.RequestID(r.Context()), "error", err.Error())
		edge.SetRetryAfter(w, edge.UnavailableRetryAfter)
		pages.Render(w, http.StatusServiceUnavailable, "message", messagePage{
			chrome:  chrome{Title: "Back in a moment", NoIndex: true},
			Heading: "We'll be right back",
			Text:    "This page is busy for a moment and nothing was saved. Please try again in a minute.",
		})
		return
	}
	slog.ErrorContext(r.Context(), "page failed", "request_id", edge.RequestID(r.Context()), "error", err.Error())
	pages.Render(w, http.StatusInternalServerError, "message", messagePage{
		chrome:  chrome{Title: "Something went wrong", NoIndex: true},
		Heading: "Something went wrong",
		Text:    "Something went wrong on our side and nothing was saved. Please try again in a moment.",
	})
}
