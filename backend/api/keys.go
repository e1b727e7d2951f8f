package api

import (
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/ratelimit"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// DefaultFailedKeyLimit is how many wrong API keys a client address may send in a minute.
const DefaultFailedKeyLimit = 20

// keyGuard limits wrong API keys per client address. Past the limit, an address's keys are
// answered 429 without being looked up, so keys cannot be guessed at the database's expense.
// A key that worked recently is still looked up, and works: an address is often shared
// (Zapier sends every practice's Zaps from a few), and one practice's revoked key must not
// lock out everyone else's.
//
// A key that worked is not looked up again for keyRecheck: a busy Zap's requests go straight
// to their work. Whatever holds the practice (recording a payment or a refund, adding an
// advocate, redeeming a reward, changing settings) checks the key again in its own
// transaction and refuses a revoked key at once; anything else may still answer it for up to
// keyRecheck on a server that saw it work.
type keyGuard struct {
	now      func() time.Time
	failures *ratelimit.Limiter
	proxies  []netip.Prefix
	mu       sync.Mutex
	worked   map[string]workedKey // by the key's hash
}

type workedKey struct {
	practice *referral.Practice
	at       time.Time
}

// workedFor is how long a key that worked gets past a busy address's limit.
const workedFor = 24 * time.Hour

// keyRecheck is how long a key that worked is trusted before it is looked up again.
const keyRecheck = 5 * time.Second

// maxWorked bounds the keys remembered: far more than the practices a server has.
const maxWorked = 10000

func newKeyGuard(perMinute int, proxies []netip.Prefix, now func() time.Time) *keyGuard {
	if perMinute <= 0 {
		perMinute = DefaultFailedKeyLimit
	}
	return &keyGuard{now: now, failures: ratelimit.New(float64(perMinute)/60, perMinute, now), proxies: proxies,
		worked: map[string]workedKey{}}
}

// practice is the authenticated practice of a /v1 request.
func practice(c *gin.Context) *referral.Practice {
	return c.MustGet(edge.PracticeKey).(*referral.Practice)
}

// authenticate finds the practice behind the Bearer key.
func (h *handlers) authenticate(c *gin.Context) {
	g := h.keys
	client := edge.ClientKey(c.Request, g.proxies)
	scheme, key, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	key = strings.TrimSpace(key)
	hash := referral.HashSecret(key)
	last, worked := g.lastWorked(hash)
	if wait := g.failures.Wait(client); wait > 0 && !(worked && g.now().Sub(last.at) < workedFor) {
		edge.SetRetryAfter(c.Writer, ratelimit.RetryAfter(wait))
		edge.Refuse(c, edge.ERateLimited, "Too many wrong API keys from this address; wait for the Retry-After seconds, then send a valid key.")
		return
	}
	if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(key, "al_live_") {
		g.failures.Allow(client)
		edge.Refuse(c, referral.EUnauthorized, "Send your API key as 'Authorization: Bearer al_live_…'. Find it in the dashboard under Settings → API keys.")
		return
	}
	p := last.practice
	if !worked || g.now().Sub(last.at) >= keyRecheck {
		var err error
		if p, err = h.svc.Authenticate(c.Request.Context(), key); err != nil {
			if referral.ErrorCode(err) == referral.EUnauthorized {
				g.failures.Allow(client)
				g.forget(hash)
			}
			edge.Fail(c, err)
			return
		}
		g.remember(hash, p)
	}
	request := *p // each request its own copy: handlers may not share one
	c.Set(edge.PracticeKey, &request)
	c.Next()
	if c.Writer.Status() == 401 {
		g.forget(hash) // revoked meanwhile: look it up next time
	}
}

func (g *keyGuard) lastWorked(hash string) (workedKey, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	w, ok := g.worked[hash]
	return w, ok
}

func (g *keyGuard) forget(hash string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.worked, hash)
}

func (g *keyGuard) remember(hash string, p *referral.Practice) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.worked[hash]; !ok && len(g.worked) >= maxWorked {
		for h, w := range g.worked {
			if g.now().Sub(w.at) >= workedFor || len(g.worked) >= maxWorked {
				delete(g.worked, h)
			}
		}
	}
	g.worked[hash] = workedKey{practice: p, at: g.now()}
}
