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
	Store     Store
	Now       func() time.Time // the one clock; tests set it
	PublicURL string           // where patients open referral links, without a trailing slash
	// CheckHookTarget, when set, refuses hook URLs the server must not call.
	CheckHookTarget HookTargetCheck
	// KeepMail says there is no mail server: every message goes into the mailbox staff read
	// (MessageHeld) as it is queued, rather than waiting for a worker to find that out.
	KeepMail bool
}

// now is the service's clock in UTC with microsecond precision, the precision both databases keep.
func (s *Service) now() time.Time {
	clock := s.Now
	if clock == nil {
		clock = time.Now
	}
	return clock().UTC().Truncate(time.Microsecond)
}

func (s *Service) inTx(ctx context.Context, fn func(Tx) error) error {
	return s.Store.InTx(ctx, fn)
}
