// Package referral holds AdvocateLoop's referral rules: who is an advocate, which friend a
// payment belongs to, when a conversion is earned, what reward it issues and how a refund
// reverses it. It knows nothing of HTTP or SQL: operations run through a Store.
package referral

import (
	"context"
	"time"
)

// Service runs the referral program's operations, each in one transaction.
type Service struct {
	Store Store
	// Clock is the one clock: nil is the real one. Tests set it, and backend/app hands Now to
	// everything else that reads the time (workers, rate limits, idempotency, webhook
	// signatures), so a test moves time for the whole server.
	Clock     func() time.Time
	PublicURL string // where patients open referral links, without a trailing slash
	// CheckHookTarget, when set, refuses hook URLs the server must not call.
	CheckHookTarget HookTargetCheck
	// KeepMail says there is no mail server: every message goes into the mailbox staff read
	// (MessageHeld) as it is queued, rather than waiting for a worker to find that out.
	KeepMail bool
}

// Now is the time by the service's clock, in UTC with microsecond precision, the precision both
// databases keep.
func (s *Service) Now() time.Time {
	clock := s.Clock
	if clock == nil {
		clock = time.Now
	}
	return clock().UTC().Truncate(time.Microsecond)
}

func (s *Service) inTx(ctx context.Context, fn func(Tx) error) error {
	return s.Store.InTx(ctx, fn)
}
