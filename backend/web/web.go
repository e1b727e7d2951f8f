// Package web serves what patients see: the embeddable widget (/widget.js), the hosted join
// page (/p/{slug}), the friend landing page (/r/{code}) and an advocate's own page
// (/p/{slug}/me), rendered on the server with html/template, which escapes every name. Nothing
// here needs an API key: pages are addressed by the practice's slug or the advocate's code, and
// every route is rate-limited per IP.
//
// No public form answers differently for different emails: whether someone is an advocate, a
// referred friend or a patient is told only to their own address, by email. Links in emails
// carry their tokens in the query string, which request logs leave out.
package web

import (
	"net/http"
	"net/netip"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/ratelimit"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Deps are what the patient-facing side is built from.
type Deps struct {
	Service *referral.Service
	// RateLimit is requests per second per IP across these routes, in bursts of Burst.
	RateLimit float64
	Burst     int
	// TrustedProxies are the load balancers whose X-Forwarded-For names the real client.
	// Without them the connection's address is the client, and the header is ignored.
	TrustedProxies []netip.Prefix
}

// Default limits: a visit takes a handful of requests (page, form, QR image), while a front
// desk's Wi-Fi or a mobile carrier's shared address may carry several patients at once.
const (
	DefaultRateLimit = 2.0
	DefaultBurst     = 60
)

// site answers the patient-facing routes.
type site struct {
	svc     *referral.Service
	limiter *ratelimit.Limiter
	proxies []netip.Prefix
	secure  bool // the public URL is https: cookies are Secure
}

// Paths are where the router sends requests for the patient pages.
var Paths = []string{"/widget.js", "/favicon.svg", "/robots.txt", "/p/*page", "/r/*page"}

// Handler serves /widget.js, /favicon.svg, /robots.txt and everything under /p/ and /r/.
func Handler(d Deps) http.Handler {
	if d.RateLimit <= 0 {
		d.RateLimit = DefaultRateLimit
	}
	if d.Burst <= 0 {
		d.Burst = DefaultBurst
	}
	s := &site{svc: d.Service, limiter: ratelimit.New(d.RateLimit, d.Burst, d.Service.Now), proxies: d.TrustedProxies,
		secure: edge.HTTPS(d.Service.PublicURL)}
	mux := http.NewServeMux()
	// Pages answer a refusal with a page; what scripts and images fetch, with a problem.
	page := func(h http.HandlerFunc) http.HandlerFunc { return s.limited(h, s.tooManyPage) }
	asset := func(h http.HandlerFunc) http.HandlerFunc { return s.limited(h, tooManyProblem) }

	mux.HandleFunc("GET /widget.js", asset(serveWidget))
	mux.HandleFunc("GET /favicon.svg", asset(serveFavicon))
	mux.HandleFunc("GET /robots.txt", asset(serveRobots))
	mux.HandleFunc("GET /p/{slug}", page(s.showJoinPage))
	mux.HandleFunc("POST /p/{slug}", page(s.join))
	mux.HandleFunc("/p/{slug}/advocates", asset(s.joinFromWidget)) // POST and its CORS preflight
	mux.HandleFunc("GET /p/{slug}/qr.svg", asset(s.joinPageQR))
	mux.HandleFunc("/p/{slug}/widget", asset(s.showWidget)) // GET, and a problem for the rest
	mux.HandleFunc("GET /p/{slug}/me", page(s.showAdvocatePage))
	mux.HandleFunc("POST /p/{slug}/me", page(s.requestSignIn))
	mux.HandleFunc("POST /p/{slug}/me/emails", page(s.setEmails))
	mux.HandleFunc("POST /p/{slug}/me/sign-out", page(s.signOut))
	mux.HandleFunc("GET /p/{slug}/sign-in", page(s.showSignInLink))
	mux.HandleFunc("POST /p/{slug}/sign-in", page(s.useSignInLink))
	mux.HandleFunc("GET /p/{slug}/unsubscribe", page(s.showUnsubscribe))
	mux.HandleFunc("POST /p/{slug}/unsubscribe", page(s.unsubscribe))
	mux.HandleFunc("GET /r/{code}", page(s.showInvitation))
	mux.HandleFunc("POST /r/{code}", page(s.claim))
	mux.HandleFunc("GET /r/{code}/qr.svg", asset(s.invitationQR))
	// Anything else, including a known path with another method, is a friendly 404 page.
	mux.HandleFunc("/", page(s.notFound))
	return mux
}
