package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// allowOrigin decides whether the page calling the widget's endpoint may, and when it may
// says so to the browser. A request without an Origin is not from another site's page (a
// server or the same page), and this server's own pages always may: CORS guards what other
// sites can make their visitors' browsers do, and only the practice's own sites may.
func (s *site) allowOrigin(w http.ResponseWriter, r *http.Request, p *referral.Practice) bool {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	if !s.ownOrigin(r, origin) && !slices.Contains(p.AllowedOrigins, origin) {
		return false
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	return true
}

// ownOrigin is true for a page served by this server: the public URL's origin, or the host
// the request was sent to (a server reached by several names, or in development).
func (s *site) ownOrigin(r *http.Request, origin string) bool {
	o, err := url.Parse(origin)
	if err != nil || o.Host == "" {
		return false // "null" from sandboxed frames and files is no one's origin
	}
	if public, err := url.Parse(s.svc.PublicURL); err == nil && public.Scheme == o.Scheme && public.Host == o.Host {
		return true
	}
	return o.Host == r.Host
}

// preflight answers the browser's question before a cross-origin JSON post.
func preflight(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "7200") // Chromium's cap: one preflight per two hours
	w.WriteHeader(http.StatusNoContent)
}
