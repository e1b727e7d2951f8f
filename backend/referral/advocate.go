package referral

import (
	"context"
	"strings"
	"time"
)

// Advocate statuses.
const (
	Active   = "active"
	Disabled = "disabled"
)

// Advocate is a patient who refers friends, reachable by a personal code and link.
type Advocate struct {
	ID         string    `json:"id"`
	PracticeID string    `json:"-"`
	Name       string    `json:"name"`
	Email      string    `json:"email"`
	Status     string    `json:"status"`
	Code       string    `json:"referral_code"`
	URL        string    `json:"referral_url"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// NewAdvocate is what joining as an advocate takes.
type NewAdvocate struct {
	Name  string `json:"name" validate:"required,max=200"`
	Email string `json:"email" validate:"required,max=254,email"`
}

// AdvocateChange edits an advocate; nil fields stay as they are.
type AdvocateChange struct {
	Name   *string `json:"name" validate:"omitnil,min=1,max=200"`
	Status *string `json:"status" validate:"omitnil,oneof=active disabled"`
}

// AdvocateFilter narrows a list of advocates.
type AdvocateFilter struct {
	Email  string `json:"email" validate:"max=254"`
	Code   string `json:"code" validate:"max=20"`
	Status string `json:"status" validate:"omitempty,oneof=active disabled"`
	// Search finds advocates by part of their name or email, or by their code: the
	// dashboard's one search box, not an API filter.
	Search string `json:"q" validate:"max=200"`
	// IdleSince, when set, keeps advocates who joined before it and had no referral since:
	// the ones an owner at the plan's limit may disable. Not an API filter.
	IdleSince time.Time `json:"-"`
}

// IdleAfter is how long without a referral makes an advocate idle, for the dashboard.
const IdleAfter = 90 * 24 * time.Hour

// CreateAdvocate adds an advocate, or returns the one with that email (created is false). A
// new advocate gets a welcome email with their link.
func (s *Service) CreateAdvocate(ctx context.Context, p *Practice, in NewAdvocate) (a *Advocate, created bool, err error) {
	in.Email, in.Name = NormalizeEmail(in.Email), strings.TrimSpace(in.Name)
	if err := check(in); err != nil {
		return nil, false, err
	}
	err = s.inTx(ctx, func(tx Tx) (err error) {
		a, created, err = s.addAdvocate(tx, p, in.Name, in.Email)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return a, created, nil
}

// addAdvocate adds an advocate with its event and welcome email, or finds the one with that
// email. The practice row lock serialises joins, so two servers cannot both admit the 100th.
func (s *Service) addAdvocate(tx Tx, p *Practice, name, email string) (*Advocate, bool, error) {
	if _, err := lockPractice(tx, p); err != nil {
		return nil, false, err
	}
	a, err := tx.AdvocateByEmail(p.ID, email)
	if err != nil || a != nil {
		if a != nil {
			s.present(a) // its referral URL is derived, not stored
		}
		return a, false, err
	}
	if err := s.checkPlanLimit(tx, p); err != nil {
		return nil, false, err
	}
	now := s.Now()
	a = &Advocate{ID: NewID("adv", now), PracticeID: p.ID, Name: name, Email: email,
		Status: Active, CreatedAt: now, UpdatedAt: now}
	if err := insertWithCode(func() (bool, error) {
		a.Code = NewReferralCode()
		return tx.InsertAdvocate(a)
	}); err != nil {
		return nil, false, err
	}
	s.present(a)
	if err := tx.InsertEvent(s.newEvent(p, AdvocateCreated, a)); err != nil {
		return nil, false, err
	}
	return a, true, s.welcomeAdvocate(tx, p, a)
}

func (s *Service) checkPlanLimit(tx Tx, p *Practice) error {
	n, err := tx.CountActiveAdvocates(p.ID)
	if err != nil {
		return err
	}
	if n >= FreeAdvocateLimit {
		return Errorf(EPlanLimit, "The free plan holds %d active advocates. Disable an advocate "+
			"you no longer need, or upgrade the practice's plan, to add more. Conversions for "+
			"existing advocates keep working.", FreeAdvocateLimit)
	}
	return nil
}

// Advocate returns one advocate of the practice.
func (s *Service) Advocate(ctx context.Context, p *Practice, id string) (*Advocate, error) {
	var a *Advocate
	err := s.inTx(ctx, func(tx Tx) (err error) {
		a, err = s.advocate(tx, p, id)
		return err
	})
	return a, err
}

func (s *Service) advocate(tx Tx, p *Practice, id string) (*Advocate, error) {
	if !IsText(id) {
		return nil, NotFound("advocate")
	}
	a, err := tx.AdvocateByID(p.ID, id)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, NotFound("advocate")
	}
	s.present(a)
	return a, nil
}

// UpdateAdvocate renames, disables or re-enables an advocate.
func (s *Service) UpdateAdvocate(ctx context.Context, p *Practice, id string, in AdvocateChange) (*Advocate, error) {
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		in.Name = &name
	}
	if err := check(in); err != nil {
		return nil, err
	}
	var a *Advocate
	err := s.inTx(ctx, func(tx Tx) (err error) {
		if _, err := lockPractice(tx, p); err != nil {
			return err
		}
		if a, err = s.advocate(tx, p, id); err != nil {
			return err
		}
		if in.Status != nil && *in.Status == Active && a.Status != Active {
			if err := s.checkPlanLimit(tx, p); err != nil {
				return err
			}
		}
		if in.Name != nil {
			a.Name = *in.Name
		}
		if in.Status != nil {
			a.Status = *in.Status
		}
		a.UpdatedAt = s.Now()
		return tx.UpdateAdvocate(a)
	})
	return a, err
}

// Advocates lists the practice's advocates, newest first.
func (s *Service) Advocates(ctx context.Context, p *Practice, f AdvocateFilter, pg Page) ([]Advocate, string, error) {
	f.Email, f.Code, f.Search = NormalizeEmail(f.Email), NormalizeCode(f.Code), strings.TrimSpace(f.Search)
	if err := check(f); err != nil {
		return nil, "", err
	}
	list, next, err := list(s, ctx, pg, "adv", func(tx Tx, pg Page) ([]Advocate, error) {
		return tx.ListAdvocates(p.ID, f, pg)
	}, func(a Advocate) string { return a.ID })
	for i := range list {
		s.present(&list[i])
	}
	return list, next, err
}

// present fills what is derived rather than stored.
func (s *Service) present(a *Advocate) {
	a.URL = s.PublicURL + "/r/" + a.Code
}
