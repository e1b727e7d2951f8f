package referral

import (
	"context"
	"slices"
	"strings"
)

// DefaultBrandColor colours a practice's pages until it picks its own.
const DefaultBrandColor = "#6b4eff"

// PracticeSettings are what a practice changes about its patient-facing pages and widget.
// Every field is replaced: empty means none (the default colour, for BrandColor).
type PracticeSettings struct {
	BrandColor string `json:"brand_color" validate:"brand_color"`
	LogoURL    string `json:"logo_url" validate:"omitempty,max=2000,https_url"`
	BookingURL string `json:"booking_url" validate:"omitempty,max=2000,web_url"`
	// AllowedOrigins are the practice's own sites, such as https://glowaesthetics.com: only
	// their pages may call the widget's endpoint from a browser.
	AllowedOrigins []string    `json:"allowed_origins" validate:"max=20,dive,max=200,origin"`
	FriendOffer    FriendOffer `json:"friend_offer"`
	// ContactEmail receives replies to the practice's emails to advocates and friends.
	ContactEmail string `json:"contact_email" validate:"omitempty,max=254,email"`
}

// normalized trims what people paste and writes origins the way browsers send them.
func (in PracticeSettings) normalized() PracticeSettings {
	in.BrandColor = strings.ToLower(strings.TrimSpace(in.BrandColor))
	if in.BrandColor == "" {
		in.BrandColor = DefaultBrandColor
	}
	in.LogoURL, in.BookingURL = strings.TrimSpace(in.LogoURL), strings.TrimSpace(in.BookingURL)
	in.ContactEmail = NormalizeEmail(in.ContactEmail)
	in.FriendOffer.Description = strings.TrimSpace(in.FriendOffer.Description)
	in.FriendOffer.WelcomeCode = strings.TrimSpace(in.FriendOffer.WelcomeCode)
	origins := make([]string, 0, len(in.AllowedOrigins))
	for _, o := range in.AllowedOrigins {
		// An Origin header has no path, so "https://Glow.com/" is kept as "https://glow.com".
		o = strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
		if o != "" && !slices.Contains(origins, o) {
			origins = append(origins, o)
		}
	}
	in.AllowedOrigins = origins
	return in
}

// UpdateSettings replaces the practice's branding, booking link, friend offer and the sites
// allowed to embed the widget.
func (s *Service) UpdateSettings(ctx context.Context, p *Practice, in PracticeSettings) (*Practice, error) {
	in = in.normalized()
	if err := check(in); err != nil {
		return nil, err
	}
	var updated *Practice
	err := s.inTx(ctx, func(tx Tx) error {
		cur, err := lockPractice(tx, p)
		if err != nil {
			return err
		}
		cur.BrandColor, cur.LogoURL, cur.BookingURL = in.BrandColor, in.LogoURL, in.BookingURL
		cur.AllowedOrigins, cur.Offer, cur.ContactEmail = in.AllowedOrigins, in.FriendOffer, in.ContactEmail
		updated = cur
		return tx.UpdatePractice(cur)
	})
	if err != nil {
		return nil, err
	}
	return updated, nil
}

// PracticeBySlug finds the practice whose hosted pages live at /p/{slug}.
func (s *Service) PracticeBySlug(ctx context.Context, slug string) (*Practice, error) {
	if !IsText(slug) {
		return nil, Errorf(ENotFound, "No practice has this address.")
	}
	var p *Practice
	err := s.inTx(ctx, func(tx Tx) (err error) {
		p, err = tx.PracticeBySlug(strings.ToLower(strings.TrimSpace(slug)))
		return err
	})
	if err == nil && p == nil {
		err = Errorf(ENotFound, "No practice has this address.")
	}
	return p, err
}

// Practice finds a practice by its id, for workers that act on its behalf.
func (s *Service) Practice(ctx context.Context, id string) (*Practice, error) {
	var p *Practice
	err := s.inTx(ctx, func(tx Tx) (err error) {
		p, err = tx.PracticeByID(id)
		return err
	})
	if err == nil && p == nil {
		err = NotFound("practice")
	}
	return p, err
}

// Invitation finds the practice and active advocate behind a referral code, which is unique
// across practices, so /r/{code} needs nothing else. A disabled advocate's code invites no one.
func (s *Service) Invitation(ctx context.Context, code string) (*Practice, *Advocate, error) {
	var (
		p *Practice
		a *Advocate
	)
	if !IsText(code) { // no code holds it, and PostgreSQL cannot look for it
		return nil, nil, Errorf(ENotFound, "No active invitation has this code.")
	}
	err := s.inTx(ctx, func(tx Tx) (err error) {
		p, a, err = tx.Invitation(NormalizeCode(code))
		return err
	})
	switch {
	case err != nil:
		return nil, nil, err
	case a == nil || a.Status != Active:
		return nil, nil, Errorf(ENotFound, "No active invitation has this code.")
	}
	s.present(a)
	return p, a, nil
}
