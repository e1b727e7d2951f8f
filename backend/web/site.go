package web

import (
	_ "embed"
	"net/http"
)

// favicon is the tab icon of every page: the patient pages, the dashboard and /docs link it.
//
//go:embed static/favicon.svg
var favicon []byte

// robots keeps crawlers out of what is personal or staff-only: the dashboard, an advocate's
// own page and the first-run set-up. Join pages and invitations may be found and previewed.
const robots = `User-agent: *
Disallow: /app
Disallow: /p/*/me
Disallow: /setup
Allow: /
`

// serveFavicon answers GET /favicon.svg; it changes with a release at most, so browsers keep it a day.
func serveFavicon(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Write(favicon)
}

// serveRobots answers GET /robots.txt.
func serveRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write([]byte(robots))
}
