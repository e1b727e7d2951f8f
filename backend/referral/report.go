package referral

import (
	"context"
	"sort"
	"time"
)

// AdvocateCount is one line of the leaderboard.
type AdvocateCount struct {
	AdvocateID string
	Name       string
	Count      int
}

// Leaderboard is who to thank: advocates by rewarded conversions since a time (zero: ever).
func (s *Service) Leaderboard(ctx context.Context, p *Practice, since time.Time, limit int) (list []AdvocateCount, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		list, err = tx.Leaderboard(p.ID, since, limit)
		return err
	})
	return list, err
}

// MonthStart is the first instant of t's month in the practice's time zone.
func (p *Practice) MonthStart(t time.Time) time.Time {
	t = t.In(p.Location())
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// MonthTotal is one month of a report, in the practice's currency.
type MonthTotal struct {
	Month  string // 2025-01
	Count  int
	Amount Money
}

// Report is what an owner watches: the reward liability outstanding, and what referrals
// brought in month by month.
type Report struct {
	Liability       Money        // issued rewards not yet redeemed or voided
	LiabilityMonths []MonthTotal // by month of issue, oldest first
	Months          []MonthTotal // rewarded conversions and referred revenue, last 12 months
}

// Reports works out the liability and the last twelve months. A practice has at most a few
// thousand rewards a year, so the rows are summed here rather than in SQL, in the practice's
// time zone.
func (s *Service) Reports(ctx context.Context, p *Practice) (*Report, error) {
	rep := &Report{Liability: Money{Currency: p.Currency}}
	liability := map[string]*MonthTotal{}
	err := s.eachReward(ctx, p, RewardFilter{Status: Issued}, func(r *Reward) {
		if r.Amount.Currency != p.Currency {
			return
		}
		m := r.IssuedAt.In(p.Location()).Format("2006-01")
		if liability[m] == nil {
			liability[m] = &MonthTotal{Month: m, Amount: Money{Currency: p.Currency}}
		}
		liability[m].Count++
		liability[m].Amount.Minor += r.Amount.Minor
		rep.Liability.Minor += r.Amount.Minor
	})
	if err != nil {
		return nil, err
	}
	for _, m := range liability {
		rep.LiabilityMonths = append(rep.LiabilityMonths, *m)
	}
	sort.Slice(rep.LiabilityMonths, func(i, j int) bool { return rep.LiabilityMonths[i].Month < rep.LiabilityMonths[j].Month })

	first := p.MonthStart(s.Now()).AddDate(0, -11, 0)
	months := map[string]*MonthTotal{}
	for i := range 12 {
		m := first.AddDate(0, i, 0).Format("2006-01")
		rep.Months = append(rep.Months, MonthTotal{Month: m, Amount: Money{Currency: p.Currency}})
		months[m] = &rep.Months[i]
	}
	err = s.EachConversion(ctx, p, ConversionFilter{Status: Rewarded, From: first.UTC()}, func(c *Conversion) {
		if m := months[c.PaidAt.In(p.Location()).Format("2006-01")]; m != nil {
			m.Count++
			if c.Amount.Currency == p.Currency {
				m.Amount.Minor += c.Amount.Minor
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// EachConversion calls fn for every conversion matching f, newest first, a page at a time.
func (s *Service) EachConversion(ctx context.Context, p *Practice, f ConversionFilter, fn func(*Conversion)) error {
	return each(func(pg Page) ([]Conversion, string, error) { return s.Conversions(ctx, p, f, pg) }, fn)
}

// EachReward calls fn for every reward, newest first, a page at a time.
func (s *Service) EachReward(ctx context.Context, p *Practice, fn func(*Reward)) error {
	return s.eachReward(ctx, p, RewardFilter{}, fn)
}

func (s *Service) eachReward(ctx context.Context, p *Practice, f RewardFilter, fn func(*Reward)) error {
	return each(func(pg Page) ([]Reward, string, error) { return s.Rewards(ctx, p, f, pg) }, fn)
}

// each walks a listing page by page, so exports and reports never hold it all at once.
func each[T any](page func(Page) ([]T, string, error), fn func(*T)) error {
	pg := Page{Limit: MaxPageSize}
	for {
		list, next, err := page(pg)
		if err != nil {
			return err
		}
		for i := range list {
			fn(&list[i])
		}
		if next == "" {
			return nil
		}
		pg.Cursor = next
	}
}
