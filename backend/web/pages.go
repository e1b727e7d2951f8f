package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/advocateloop/advocateloop/backend/api"
	"github.com/advocateloop/advocateloop/backend/referral"
)

//go:embed templates/*.html static/page.css static/page.js
var files embed.FS

func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// The stylesheet and the copy-button script go inline: a page is one request, and the script
// is allowed by its hash, so no other script can run on a page, whatever a name holds.
var (
	pageCSS    = template.CSS(mustRead("static/page.css"))
	pageScript = template.JS(mustRead("static/page.js"))
	pagePolicy = ContentPolicy(pageScript)
)

// ContentPolicy is the Content-Security-Policy of a server-rendered page whose one inline
// script is script: nothing else may run, load or be framed, whatever a name on the page holds.
func ContentPolicy(script template.JS) string {
	hash := sha256.Sum256([]byte(script))
	return "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; " +
		"script-src 'sha256-" + base64.StdEncoding.EncodeToString(hash[:]) + "'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
}

// pages holds each page's template, each a copy of the layout with its own "content".
var pages = func() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(template.FuncMap{
		"css":    func() template.CSS { return pageCSS },
		"script": func() template.JS { return pageScript },
	}).ParseFS(files, "templates/layout.html", "templates/parts.html"))
	out := map[string]*template.Template{}
	for _, name := range []string{"join", "claim", "message", "me", "signin", "unsubscribe"} {
		out[name] = template.Must(template.Must(layout.Clone()).ParseFS(files, "templates/"+name+".html"))
	}
	return out
}()

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

// Brand is the practice's colours, or the default ones.
func (c chrome) Brand() colors { return brandOf(c.Practice) }

func (c chrome) secret() bool { return c.Secret }

// messagePage is a page that only says something: not found, too many requests, an error,
// with at most one link onwards.
type messagePage struct {
	chrome
	Heading  string
	Text     string
	Link     string // an address, or empty for none
	LinkText string
}

// render writes a page; a page is small, so it is rendered whole before the status goes out.
func (s *site) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		slog.Error("page not rendered", "page", name, "error", err.Error())
		http.Error(w, "Something went wrong on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pagePolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if c, ok := data.(interface{ secret() bool }); ok && c.secret() {
		h.Set("Referrer-Policy", "no-referrer")
	}
	h.Set("Cache-Control", "no-store") // pages hold personal links, and answer forms
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (s *site) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusNotFound, "message", messagePage{
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
		slog.WarnContext(r.Context(), "page unavailable", "request_id", api.RequestID(r.Context()), "error", err.Error())
		api.SetRetryAfter(w, api.UnavailableRetryAfter)
		s.render(w, http.StatusServiceUnavailable, "message", messagePage{
			chrome:  chrome{Title: "Back in a moment", NoIndex: true},
			Heading: "We'll be right back",
			Text:    "This page is busy for a moment and nothing was saved. Please try again in a minute.",
		})
		return
	}
	slog.ErrorContext(r.Context(), "page failed", "request_id", api.RequestID(r.Context()), "error", err.Error())
	s.render(w, http.StatusInternalServerError, "message", messagePage{
		chrome:  chrome{Title: "Something went wrong", NoIndex: true},
		Heading: "Something went wrong",
		Text:    "Something went wrong on our side and nothing was saved. Please try again in a moment.",
	})
}
