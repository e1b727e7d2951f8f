package dashboard

import (
	"net/http"
	"net/url"
)

// sameSite refuses a POST (or any unsafe method) that another site's page made the browser
// send, before a form token is even looked at: browsers say where a request comes from, in
// Sec-Fetch-Site or, older ones, in Origin. Requests that carry neither come from no browser,
// so no other site can have sent them. The public URL's origin is trusted too, for a proxy
// that hands the server another Host than the one the browser used.
func (s *dashboard) sameSite(h http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	if u, err := url.Parse(s.public); err == nil && u.Scheme != "" && u.Host != "" {
		p.AddTrustedOrigin(u.Scheme + "://" + u.Host) // a malformed one only goes untrusted
	}
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.forbidden(w, view{}, "This form was sent from another website, so nothing was changed. Open the dashboard at its own address and try again.")
	}))
	return p.Handler(h)
}
