package referral

import "context"

// PlanWarningAt is how many active advocates make the dashboard warn that the free plan is
// filling up.
const PlanWarningAt = 80

// PlanUsage is how much of the free plan a practice uses. Only active advocates count, so
// disabling one frees a place at once.
type PlanUsage struct {
	Active, Limit int
}

// Full is true when the next patient to join is refused.
func (u PlanUsage) Full() bool { return u.Active >= u.Limit }

// Filling is true from PlanWarningAt until the plan is full.
func (u PlanUsage) Filling() bool { return u.Active >= PlanWarningAt && !u.Full() }

// PlanUsage counts the practice's active advocates against the free plan's limit.
func (s *Service) PlanUsage(ctx context.Context, p *Practice) (PlanUsage, error) {
	u := PlanUsage{Limit: FreeAdvocateLimit}
	err := s.inTx(ctx, func(tx Tx) (err error) {
		u.Active, err = tx.CountActiveAdvocates(p.ID)
		return err
	})
	return u, err
}
