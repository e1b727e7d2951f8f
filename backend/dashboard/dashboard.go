// Package dashboard serves the staff dashboard: first-run setup, sign-in, and the pages under
// /app where the front desk follows conversions, redeems rewards and marks conversions by hand,
// and where the admin runs the program. Pages are html/template rendered on the server; every
// form carries a CSRF token and must come from the dashboard's own pages, and every lookup goes
// through the signed-in practice, so another practice's ids are simply not found.
package dashboard

import (
	"net/http"
	"net/netip"
	"sync"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/ratelimit"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Deps are what the dashboard is built from.
type Deps struct {
	Service *referral.Service // its PublicURL says where the dashboard is; https makes the cookies Secure
	// TrustedProxies are the load balancers whose X-Forwarded-For names the real client.
	TrustedProxies []netip.Prefix
	// MailDelivered is true when a mail server is set; otherwise messages wait in the mailbox
	// and every page says so.
	MailDelivered bool
}

type dashboard struct {
	svc    *referral.Service
	secure bool
	public string
	// signIns limits password attempts per client address, across every email: the per-email
	// lock-out alone would let one address try a common password on every account.
	signIns       *ratelimit.Limiter
	proxies       []netip.Prefix
	mailDelivered bool
	// The key signing forms before sign-in, once read; see formKey.
	formKeyMu    sync.Mutex
	formKeyBytes []byte
}

// Paths are where the router sends requests for the dashboard.
var Paths = []string{"/app", "/app/*page", "/login", "/login/forgot", "/logout", "/setup", "/setup/*token"}

// Handler serves /setup, /login, /logout and everything under /app. Another site's pages can
// make a browser post to none of them: see sameSite.
func Handler(d Deps) http.Handler {
	s := &dashboard{svc: d.Service, secure: edge.HTTPS(d.Service.PublicURL), public: d.Service.PublicURL,
		signIns: ratelimit.New(SignInsPerMinute/60.0, SignInsPerMinute, d.Service.Now), proxies: d.TrustedProxies,
		mailDelivered: d.MailDelivered}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /setup", s.showSetup)
	mux.HandleFunc("POST /setup", s.throttled(s.setup))
	mux.HandleFunc("GET /setup/{token}", s.showSetPassword)
	mux.HandleFunc("POST /setup/{token}", s.throttled(s.setPassword))
	mux.HandleFunc("GET /login", s.showLogin)
	mux.HandleFunc("POST /login", s.throttled(s.login))
	mux.HandleFunc("GET /login/forgot", s.showForgot)
	mux.HandleFunc("POST /login/forgot", s.throttled(s.forgot))
	mux.HandleFunc("POST /logout", s.staff(s.logout))

	mux.HandleFunc("GET /app", s.staff(s.home))
	mux.HandleFunc("GET /app/rewards", s.staff(s.rewards))
	mux.HandleFunc("POST /app/rewards/redeem", s.staff(s.redeem))
	mux.HandleFunc("POST /app/rewards/undo", s.staff(s.undoRedeem))
	mux.HandleFunc("GET /app/conversions/new", s.staff(s.newConversion))
	mux.HandleFunc("POST /app/conversions", s.staff(s.markConversion))
	mux.HandleFunc("GET /app/near-misses", s.staff(s.nearMisses))
	mux.HandleFunc("POST /app/near-misses/{id}/confirm", s.staff(s.confirmNearMiss))
	mux.HandleFunc("POST /app/near-misses/{id}/dismiss", s.staff(s.dismissNearMiss))
	mux.HandleFunc("GET /app/reports", s.staff(s.reports))
	mux.HandleFunc("GET /app/reports/conversions.csv", s.staff(s.conversionsCSV))
	mux.HandleFunc("GET /app/reports/rewards.csv", s.staff(s.rewardsCSV))

	mux.HandleFunc("GET /app/advocates", s.staff(s.advocates))
	mux.HandleFunc("GET /app/advocates/{id}", s.staff(s.advocate))
	mux.HandleFunc("POST /app/advocates/{id}/send-link", s.staff(s.sendAdvocateLink))
	mux.HandleFunc("POST /app/advocates/{id}/disable", s.admin(s.setAdvocateStatus(referral.Disabled, "disabled")))
	mux.HandleFunc("POST /app/advocates/{id}/enable", s.admin(s.setAdvocateStatus(referral.Active, "enabled")))
	mux.HandleFunc("GET /app/referrals", s.staff(s.referrals))
	mux.HandleFunc("POST /app/rewards/settle-clawback", s.staff(s.settleClawback))
	mux.HandleFunc("GET /app/upgrade", s.staff(s.upgrade))

	mux.HandleFunc("GET /app/mail", s.staff(s.mailbox))
	mux.HandleFunc("GET /app/mail/{id}", s.staff(s.showMessage))
	mux.HandleFunc("GET /app/mail/{id}/html", s.staff(s.messageHTML))
	mux.HandleFunc("POST /app/mail/{id}/send-again", s.staff(s.sendAgain))

	mux.HandleFunc("GET /app/settings", s.admin(s.settings))
	mux.HandleFunc("POST /app/settings/reward", s.admin(s.saveRewardPolicy))
	mux.HandleFunc("POST /app/settings/branding", s.admin(s.saveBranding))
	mux.HandleFunc("POST /app/settings/email", s.admin(s.saveEmail))
	mux.HandleFunc("POST /app/settings/api-keys", s.admin(s.createAPIKey))
	mux.HandleFunc("GET /app/settings/api-keys/{id}/revoke", s.admin(s.confirmRevokeAPIKey))
	mux.HandleFunc("POST /app/settings/api-keys/{id}/revoke", s.admin(s.revokeAPIKey))
	mux.HandleFunc("GET /app/settings/webhook-secret", s.admin(s.confirmRotateWebhookSecret))
	mux.HandleFunc("POST /app/settings/webhook-secret", s.admin(s.rotateWebhookSecret))
	mux.HandleFunc("POST /app/settings/region", s.admin(s.saveRegion))
	mux.HandleFunc("POST /app/checklist/{step}/dismiss", s.admin(s.dismissStep))
	mux.HandleFunc("GET /app/staff", s.admin(s.staffList))
	mux.HandleFunc("POST /app/staff", s.admin(s.invite))
	mux.HandleFunc("POST /app/staff/{id}/role", s.admin(s.changeRole))
	mux.HandleFunc("POST /app/staff/{id}/remove", s.admin(s.removeStaff))
	mux.HandleFunc("/", s.notFound)
	return s.sameSite(mux)
}
