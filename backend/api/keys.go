package api

import (
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

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
type keyGuard struct {
	failures *ratelimit.Limiter
	proxies  []netip.Prefix
	mu       sync.Mutex
	worked   map[string]time.Time // hashes of keys that worked, and when they last did
}

// workedFor is how long a key that worked gets past a busy address's limit.
const workedFor = 24 * time.Hour

// maxWorked bounds the keys remembered: far more than the practices a server has.
const maxWorked = 10000

func newKeyGuard(perMinute int, proxies []netip.Prefix) *keyGuard {
	if perMinute <= 0 {
		perMinute = DefaultFailedKeyLimit
	}
	return &keyGuard{failures: ratelimit.New(float64(perMinute)/60, perMinute), proxies: proxies,
		worked: map[string]time.Time{}}
}

// authenticate finds the practice behind the Bearer key.
func (h *handlers) authenticate(c *gin.Context) {
	g := h.keys
	client := ratelimit.ClientKey(c.Request, g.proxies)
	scheme, key, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	key = strings.TrimSpace(key)
	hash := referral.HashSecret(key)
	if wait := g.failures.Wait(client); wait > 0 && !g.workedRecently(hash) {
		SetRetryAfter(c.Writer, ratelimit.RetryAfter(wait))
		problem(c, ERateLimited, "Too many wrong API keys from this address; wait for the Retry-After seconds, then send a valid key.")
		return
	}
	if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(key, "al_live_") {
		g.failures.Allow(client)
		problem(c, referral.EUnauthorized, "Send your API key as 'Authorization: Bearer al_live_…'. Find it in the dashboard under Settings → API keys.")
		return
	}
	p, err := h.svc.Authenticate(c.Request.Context(), key)
	if err != nil {
		if referral.ErrorCode(err) == referral.EUnauthorized {
			g.failures.Allow(client)
		}
		fail(c, err)
		return
	}
	g.remember(hash)
	c.Set(practiceKey, p)
	c.Next()
}

func (g *keyGuard) workedRecently(hash string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	at, ok := g.worked[hash]
	return ok && time.Since(at) < workedFor
}

func (g *keyGuard) remember(hash string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.worked[hash]; !ok && len(g.worked) >= maxWorked {
		for h, at := range g.worked {
			if time.Since(at) >= workedFor || len(g.worked) >= maxWorked {
				delete(g.worked, h)
			}
		}
	}
	g.worked[hash] = time.Now()
}
