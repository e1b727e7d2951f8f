package web

import (
	"net/http"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/ratelimit"
)

// limited runs h unless the client is past its allowance, which refuse then answers.
func (s *site) limited(h http.HandlerFunc, refuse func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.limiter.Allow(s.clientKey(r)); !ok {
			edge.SetRetryAfter(w, ratelimit.RetryAfter(wait))
			refuse(w, r)
			return
		}
		h(w, r)
	}
}

func tooManyProblem(w http.ResponseWriter, r *http.Request) {
	edge.WriteProblem(w, r, edge.ERateLimited, "Too many requests from this address; wait for the Retry-After seconds and try again.")
}

func (s *site) tooManyPage(w http.ResponseWriter, r *http.Request) {
	pages.Render(w, http.StatusTooManyRequests, "message", messagePage{
		chrome:  chrome{Title: "Please wait a moment", NoIndex: true},
		Heading: "Please wait a moment",
		Text:    "We've had a lot of requests from your connection. Wait a minute, then try again.",
	})
}

func (s *site) clientKey(r *http.Request) string { return edge.ClientKey(r, s.proxies) }
