package dashboard

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/ratelimit"
)

// SignInsPerMinute is how many password attempts one client address may make a minute (and at
// once): plenty for a front desk that mistypes, far too few to guess passwords.
const SignInsPerMinute = 10

// throttled refuses password forms from an address past its allowance.
func (s *dashboard) throttled(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.signIns.Allow(edge.ClientKey(r, s.proxies)); !ok {
			edge.SetRetryAfter(w, ratelimit.RetryAfter(wait))
			s.message(w, http.StatusTooManyRequests, view{Title: "Please wait a moment"}, "Please wait a moment",
				"There have been too many sign-in attempts from your connection. Wait a minute, then try again.")
			return
		}
		h(w, r)
	}
}
