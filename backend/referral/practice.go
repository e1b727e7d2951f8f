package referral

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// FreeAdvocateLimit is how many active advocates the free plan holds.
const FreeAdvocateLimit = 100

// Practice is one med spa: the tenant everything else belongs to.
type Practice struct {
	ID       string
	Name     string
	Slug     string
	Currency string
	TimeZone string
	Reward   RewardPolicy
	Offer    FriendOffer
	// WebhookSecret verifies signed payment webhooks; it must be kept, not hashed. After a
	// rotation the previous one keeps working until PreviousSecretExpiresAt.
	WebhookSecret           string
	PreviousWebhookSecret   string
	PreviousSecretExpiresAt time.Time
	// How the hosted pages look and who may embed the widget; see PracticeSettings.
	BrandColor     string   // #rrggbb
	LogoURL        string   // https, or empty for none
	BookingURL     string   // where a friend books, or empty
	AllowedOrigins []string // sites whose pages may call the widget's endpoint
	ContactEmail   string   // where replies to the practice's emails go
	CreatedAt      time.Time
	// KeyHash is the hash of the API key a request came with, empty for the dashboard and
	// signed webhooks. An operation that holds the practice checks it again in its own
	// transaction, so a key revoked a moment ago changes nothing.
	KeyHash string
}

// RewardPolicy is what an advocate earns for each conversion, and the limits on it.
type RewardPolicy struct {
	Kind      RewardKind
	Amount    Money
	AnnualCap int   // rewards per advocate per calendar year; past it rewards are capped
	Minimum   Money // the smallest invoice that converts a referral
	// HoldDays keeps rewards pending for this many days after the payment, the practice's
	// refund window; 0 issues them at once.
	HoldDays int
}

// FriendOffer is the welcome offer a friend sees when claiming a referral. Empty means none.
type FriendOffer struct {
	Description string `json:"description" validate:"max=300"`
	WelcomeCode string `json:"welcome_code" validate:"max=40"`
}

// Location is the practice's time zone, for calendar years and display.
func (p *Practice) Location() *time.Location {
	if loc, err := time.LoadLocation(p.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// DefaultRewardPolicy is about 50 US dollars of service credit in the practice's currency (see
// defaultRewards) as a discount code, ten a year, any invoice of at least one minor unit.
func DefaultRewardPolicy(currency string) RewardPolicy {
	return RewardPolicy{
		Kind:      DiscountCode,
		Amount:    defaultReward(currency),
		AnnualCap: 10,
		Minimum:   Money{Minor: 1, Currency: currency},
	}
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// NewPractice is what starting a practice takes.
type NewPractice struct {
	Name       string `json:"name" validate:"required,max=200"`
	AdminEmail string `json:"admin_email" validate:"required,max=254,email"`
	Currency   string `json:"currency"`
	TimeZone   string `json:"time_zone"`
	// What /setup also asks; left empty, the defaults (DefaultRewardPolicy, no offer, no link).
	RewardKind   string      `json:"reward_kind" validate:"omitempty,oneof=discount_code wallet_credit"`
	RewardAmount Amount      `json:"reward_amount"`
	FriendOffer  FriendOffer `json:"friend_offer"`
	BookingURL   string      `json:"booking_url" validate:"omitempty,max=2000,web_url"`
}

// PracticeSecrets are shown once, when a practice is created, and never again.
type PracticeSecrets struct {
	APIKey        string
	WebhookSecret string
	SetupToken    string // lets the admin set a password, once, within SetupTokenLifetime
}

// SetupTokenLifetime bounds how long an admin set-up link works.
const SetupTokenLifetime = 7 * 24 * time.Hour

// CreatePractice starts a practice with default reward rules, its first API key and an admin
// who sets a password through a one-time link.
func (s *Service) CreatePractice(ctx context.Context, in NewPractice) (*Practice, *PracticeSecrets, error) {
	return s.createPractice(ctx, in, true, func(Tx) error { return nil })
}

// createPractice runs claim first in the practice's transaction, so a refused claim writes nothing.
func (s *Service) createPractice(ctx context.Context, in NewPractice, withKey bool, claim func(Tx) error) (*Practice, *PracticeSecrets, error) {
	in.AdminEmail = NormalizeEmail(in.AdminEmail)
	in.Name = strings.TrimSpace(in.Name)
	if err := check(in); err != nil {
		return nil, nil, err
	}
	if in.Currency == "" {
		in.Currency = "USD"
	}
	code, ok := ParseCurrency(in.Currency)
	if !ok {
		return nil, nil, InvalidField("currency", "must be an ISO 4217 currency code such as USD")
	}
	if in.TimeZone == "" {
		in.TimeZone = "America/New_York"
	}
	if !ValidTimeZone(in.TimeZone) {
		return nil, nil, InvalidField("time_zone", "must be an IANA time zone such as America/Los_Angeles")
	}
	reward := DefaultRewardPolicy(code)
	if in.RewardKind != "" {
		reward.Kind = in.RewardKind
	}
	if strings.TrimSpace(string(in.RewardAmount)) != "" {
		amount, err := in.RewardAmount.Parse(code)
		if err != nil {
			return nil, nil, InvalidField("reward_amount", err.Error())
		}
		reward.Amount = amount
	}
	now := s.Now()
	p := &Practice{ID: NewID("prc", now), Name: in.Name, Currency: code, TimeZone: in.TimeZone,
		Reward: reward, WebhookSecret: NewWebhookSecret(), BrandColor: DefaultBrandColor,
		ContactEmail: in.AdminEmail, CreatedAt: now, BookingURL: strings.TrimSpace(in.BookingURL),
		Offer: FriendOffer{Description: strings.TrimSpace(in.FriendOffer.Description), WelcomeCode: strings.TrimSpace(in.FriendOffer.WelcomeCode)}}
	key, hash := NewAPIKey()
	secrets := &PracticeSecrets{WebhookSecret: p.WebhookSecret, SetupToken: NewToken()}
	if withKey {
		secrets.APIKey = key
	}
	err := s.inTx(ctx, func(tx Tx) error {
		if err := claim(tx); err != nil {
			return err
		}
		base := slugify(in.Name)
		for i := 1; ; i++ {
			p.Slug = base
			if i > 1 {
				p.Slug = fmt.Sprintf("%s-%d", base, i)
			}
			ok, err := tx.CreatePractice(p)
			if err != nil {
				return err
			}
			if ok {
				break
			}
		}
		if withKey {
			if err := tx.CreateAPIKey(&APIKey{ID: NewID("key", now), PracticeID: p.ID, Hash: hash,
				Prefix: key[:12], CreatedAt: now}); err != nil {
				return err
			}
		}
		admin := &Staff{ID: NewID("stf", now), PracticeID: p.ID, Email: in.AdminEmail,
			Role: "admin", SetupTokenHash: HashSecret(secrets.SetupToken),
			SetupExpiresAt: now.Add(SetupTokenLifetime), CreatedAt: now}
		inserted, err := tx.CreateStaff(admin)
		if err == nil && !inserted { // a practice created a moment ago has no staff yet
			err = fmt.Errorf("referral: admin %s of new practice %s not inserted", admin.ID, p.ID)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return p, secrets, nil
}

// slugify makes a URL-safe practice name: "Glow Aesthetics & Spa" → "glow-aesthetics-spa".
func slugify(name string) string {
	words := strings.FieldsFunc(strings.ToLower(foldAccents(name)), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	slug := strings.Join(words, "-")
	if len(slug) > 48 {
		slug = strings.Trim(slug[:48], "-")
	}
	if slug == "" {
		slug = "practice"
	}
	return slug
}

// Authenticate finds the practice an API key belongs to.
func (s *Service) Authenticate(ctx context.Context, key string) (*Practice, error) {
	var p *Practice
	err := s.inTx(ctx, func(tx Tx) (err error) {
		p, err = tx.PracticeByAPIKey(HashSecret(key))
		return err
	})
	if err == nil && p == nil {
		err = errUnknownKey()
	}
	if p != nil {
		p.KeyHash = HashSecret(key)
	}
	return p, err
}

func errUnknownKey() error {
	return Errorf(EUnauthorized, "The API key is missing, revoked or wrong. Send it as 'Authorization: Bearer al_live_…'; the dashboard's Settings → API keys page creates one.")
}

// lockPractice holds the practice's row until the transaction ends (Tx.LockPractice) and
// reads it afresh; a request whose API key was revoked meanwhile gets EUnauthorized.
func lockPractice(tx Tx, p *Practice) (*Practice, error) {
	cur, err := tx.LockPractice(p.ID, p.KeyHash)
	if err == nil && cur == nil {
		err = errUnknownKey()
	}
	return cur, err
}

// ActiveAdvocates counts the advocates the plan limit applies to.
func (s *Service) ActiveAdvocates(ctx context.Context, p *Practice) (n int, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		n, err = tx.CountActiveAdvocates(p.ID)
		return err
	})
	return n, err
}

// PracticeCount tells whether the installation has any practice yet.
func (s *Service) PracticeCount(ctx context.Context) (n int, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		n, err = tx.CountPractices()
		return err
	})
	return n, err
}
