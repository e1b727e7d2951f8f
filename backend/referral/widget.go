package referral

import (
	"context"
	"net/url"
	"time"
)

// WidgetRefusal is the last site whose page asked for a practice's widget and was refused:
// the origin staff add to the allowed sites if it is theirs, and when it happened.
type WidgetRefusal struct {
	Origin string
	At     time.Time
}

// RefuseWidgetOrigin remembers that a page on origin asked for p's widget and was refused.
// Only a real web origin is kept ("https://glow.example"): the header is whatever a client
// sends, and anything else is no site staff could add.
func (s *Service) RefuseWidgetOrigin(ctx context.Context, p *Practice, origin string) error {
	u, err := url.Parse(origin)
	if err != nil || !IsText(origin) || len(origin) > 200 || (u.Scheme != "https" && u.Scheme != "http") ||
		u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil || u.Fragment != "" {
		return nil
	}
	return s.inTx(ctx, func(tx Tx) error {
		return tx.SaveWidgetRefusal(p.ID, WidgetRefusal{Origin: origin, At: s.Now()})
	})
}

// LastWidgetRefusal is the last site p's widget was refused on, or nil when there is none.
func (s *Service) LastWidgetRefusal(ctx context.Context, p *Practice) (*WidgetRefusal, error) {
	var r *WidgetRefusal
	err := s.inTx(ctx, func(tx Tx) (err error) {
		r, err = tx.WidgetRefusal(p.ID)
		return err
	})
	return r, err
}
