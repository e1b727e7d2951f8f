package storage

import (
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Rows mirror the tables one to one; `->` fields are read from joins and never written.

type practiceRow struct {
	ID                      string
	Name                    string
	Slug                    string
	Currency                string
	TimeZone                string
	RewardKind              string
	RewardMinor             int64
	AnnualCap               int
	MinimumMinor            int64
	HoldDays                int
	OfferDescription        string
	OfferWelcomeCode        string
	WebhookSecret           string
	PreviousWebhookSecret   string
	PreviousSecretExpiresAt *time.Time
	BrandColor              string
	LogoURL                 string
	BookingURL              string
	AllowedOrigins          string // space-separated: an origin holds no space, and both databases store text
	ContactEmail            string
	CreatedAt               time.Time
}

func (practiceRow) TableName() string { return "practices" }

func toPracticeRow(p *referral.Practice) *practiceRow {
	row := &practiceRow{ID: p.ID, Name: p.Name, Slug: p.Slug, Currency: p.Currency,
		TimeZone: p.TimeZone, RewardKind: p.Reward.Kind, RewardMinor: p.Reward.Amount.Minor,
		AnnualCap: p.Reward.AnnualCap, MinimumMinor: p.Reward.Minimum.Minor, HoldDays: p.Reward.HoldDays,
		OfferDescription: p.Offer.Description, OfferWelcomeCode: p.Offer.WelcomeCode,
		WebhookSecret: p.WebhookSecret, BrandColor: p.BrandColor, LogoURL: p.LogoURL,
		BookingURL: p.BookingURL, AllowedOrigins: strings.Join(p.AllowedOrigins, " "), ContactEmail: p.ContactEmail,
		CreatedAt: p.CreatedAt}
	if p.PreviousWebhookSecret != "" {
		row.PreviousWebhookSecret, row.PreviousSecretExpiresAt = p.PreviousWebhookSecret, &p.PreviousSecretExpiresAt
	}
	return row
}

func (r *practiceRow) practice() *referral.Practice {
	p := &referral.Practice{ID: r.ID, Name: r.Name, Slug: r.Slug, Currency: r.Currency,
		TimeZone: r.TimeZone, Reward: referral.RewardPolicy{Kind: r.RewardKind,
			Amount:    referral.Money{Minor: r.RewardMinor, Currency: r.Currency},
			AnnualCap: r.AnnualCap, Minimum: referral.Money{Minor: r.MinimumMinor, Currency: r.Currency},
			HoldDays: r.HoldDays},
		Offer:         referral.FriendOffer{Description: r.OfferDescription, WelcomeCode: r.OfferWelcomeCode},
		WebhookSecret: r.WebhookSecret, BrandColor: r.BrandColor, LogoURL: r.LogoURL,
		BookingURL: r.BookingURL, AllowedOrigins: strings.Fields(r.AllowedOrigins), ContactEmail: r.ContactEmail,
		CreatedAt: r.CreatedAt.UTC()}
	if r.PreviousSecretExpiresAt != nil {
		p.PreviousWebhookSecret, p.PreviousSecretExpiresAt = r.PreviousWebhookSecret, r.PreviousSecretExpiresAt.UTC()
	}
	return p
}

type apiKeyRow struct {
	ID         string
	PracticeID string
	Hash       string
	Prefix     string
	CreatedAt  time.Time
	RevokedAt  *time.Time
}

func (apiKeyRow) TableName() string { return "api_keys" }

type staffRow struct {
	ID             string
	PracticeID     string
	Email          string
	Role           string
	PasswordHash   *string
	SetupTokenHash *string
	SetupExpiresAt *time.Time
	CreatedAt      time.Time
}

func (staffRow) TableName() string { return "staff" }

type advocateRow struct {
	ID         string
	PracticeID string
	Name       string
	Email      string
	Status     string
	Code       string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (advocateRow) TableName() string { return "advocates" }

func (r *advocateRow) advocate() referral.Advocate {
	return referral.Advocate{ID: r.ID, PracticeID: r.PracticeID, Name: r.Name, Email: r.Email,
		Status: r.Status, Code: r.Code, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

type referralRow struct {
	ID            string
	PracticeID    string
	AdvocateID    string
	AdvocateName  string `gorm:"->"`
	AdvocateCode  string `gorm:"->"`
	AdvocateEmail string `gorm:"->"`
	FriendName    string
	// The friend's referral.NameKeys, indexed for near-miss matching.
	FriendFirstName string
	FriendLastName  string
	FriendEmail     string
	Source          string
	Status          string
	ClaimedAt       time.Time
	ConvertedAt     *time.Time
}

func (referralRow) TableName() string { return "referrals" }

func (r *referralRow) referral() referral.Referral {
	return referral.Referral{ID: r.ID, PracticeID: r.PracticeID, AdvocateID: r.AdvocateID,
		AdvocateName: r.AdvocateName, AdvocateEmail: r.AdvocateEmail, Code: r.AdvocateCode, FriendName: r.FriendName,
		FriendEmail: r.FriendEmail, Source: r.Source, Status: r.Status,
		ClaimedAt: r.ClaimedAt.UTC(), ConvertedAt: utc(r.ConvertedAt)}
}

type paymentRow struct {
	ID           string
	PracticeID   string
	InvoiceID    string
	PaymentID    string
	AmountMinor  int64
	Currency     string
	PaidAt       time.Time
	Outcome      string
	ReferralID   *string
	ConversionID *string
	CreatedAt    time.Time
}

func (paymentRow) TableName() string { return "payments" }

func (r *paymentRow) payment() *referral.Payment {
	return &referral.Payment{ID: r.ID, PracticeID: r.PracticeID, InvoiceID: r.InvoiceID,
		PaymentID: r.PaymentID, Amount: referral.Money{Minor: r.AmountMinor, Currency: r.Currency},
		PaidAt: r.PaidAt.UTC(), Outcome: r.Outcome, ReferralID: deref(r.ReferralID),
		ConversionID: deref(r.ConversionID), CreatedAt: r.CreatedAt.UTC()}
}

type conversionRow struct {
	ID            string
	PracticeID    string
	ReferralID    string
	AdvocateID    string
	AdvocateName  string `gorm:"->"`
	AdvocateEmail string `gorm:"->"`
	AdvocateCode  string `gorm:"->"`
	FriendName    string `gorm:"->"`
	FriendEmail   string `gorm:"->"`
	InvoiceID     string
	PaymentID     string
	AmountMinor   int64
	Currency      string
	PaidAt        time.Time
	Source        string
	Status        string
	ReversedAt    *time.Time
	CreatedAt     time.Time
	InvoiceKey    *string // the invoice a standing conversion holds (migration 11)
}

func (conversionRow) TableName() string { return "conversions" }

func (r *conversionRow) conversion() referral.Conversion {
	return referral.Conversion{ID: r.ID, PracticeID: r.PracticeID, ReferralID: r.ReferralID,
		AdvocateID: r.AdvocateID, AdvocateName: r.AdvocateName, AdvocateEmail: r.AdvocateEmail,
		AdvocateCode: r.AdvocateCode, FriendName: r.FriendName, FriendEmail: r.FriendEmail, InvoiceID: r.InvoiceID, PaymentID: r.PaymentID,
		Amount: referral.Money{Minor: r.AmountMinor, Currency: r.Currency}, PaidAt: r.PaidAt.UTC(),
		Source: r.Source, Status: r.Status, ReversedAt: utc(r.ReversedAt), CreatedAt: r.CreatedAt.UTC()}
}

type rewardRow struct {
	ID                string
	PracticeID        string
	AdvocateID        string
	AdvocateName      string `gorm:"->"`
	AdvocateEmail     string `gorm:"->"`
	AdvocateCode      string `gorm:"->"`
	ConversionID      string
	Kind              string
	Code              *string
	AmountMinor       int64
	Currency          string
	Status            string
	ClawbackOwed      bool
	ClawbackSettledAt *time.Time
	IssuedAt          time.Time
	RedeemedAt        *time.Time
	VoidedAt          *time.Time
	HeldUntil         *time.Time
	PaidAt            time.Time
}

func (rewardRow) TableName() string { return "rewards" }

func toRewardRow(r *referral.Reward) *rewardRow {
	return &rewardRow{ID: r.ID, PracticeID: r.PracticeID, AdvocateID: r.AdvocateID,
		ConversionID: r.ConversionID, Kind: r.Kind, Code: orNull(r.Code), AmountMinor: r.Amount.Minor,
		Currency: r.Amount.Currency, Status: r.Status, ClawbackOwed: r.ClawbackOwed,
		ClawbackSettledAt: r.ClawbackSettledAt, IssuedAt: r.IssuedAt, RedeemedAt: r.RedeemedAt, VoidedAt: r.VoidedAt, HeldUntil: r.HeldUntil, PaidAt: r.PaidAt}
}

func (r *rewardRow) reward() referral.Reward {
	return referral.Reward{ID: r.ID, PracticeID: r.PracticeID, AdvocateID: r.AdvocateID,
		AdvocateName: r.AdvocateName, AdvocateEmail: r.AdvocateEmail, AdvocateCode: r.AdvocateCode, ConversionID: r.ConversionID, Kind: r.Kind, Code: deref(r.Code),
		Amount: referral.Money{Minor: r.AmountMinor, Currency: r.Currency}, Status: r.Status,
		ClawbackOwed: r.ClawbackOwed, ClawbackSettledAt: utc(r.ClawbackSettledAt), IssuedAt: r.IssuedAt.UTC(), RedeemedAt: utc(r.RedeemedAt),
		VoidedAt: utc(r.VoidedAt), HeldUntil: utc(r.HeldUntil), PaidAt: r.PaidAt.UTC()}
}

type refundRow struct {
	ID           string
	PracticeID   string
	InvoiceID    string
	RefundID     string
	AmountMinor  *int64
	Currency     *string
	Outcome      string
	ConversionID *string
	CreatedAt    time.Time
}

func (refundRow) TableName() string { return "refunds" }

func toRefundRow(r *referral.Refund) *refundRow {
	row := &refundRow{ID: r.ID, PracticeID: r.PracticeID, InvoiceID: r.InvoiceID,
		RefundID: r.RefundID, Outcome: r.Outcome, ConversionID: orNull(r.ConversionID),
		CreatedAt: r.CreatedAt}
	if r.Amount != nil {
		row.AmountMinor, row.Currency = &r.Amount.Minor, &r.Amount.Currency
	}
	return row
}

func (r *refundRow) refund() referral.Refund {
	out := referral.Refund{ID: r.ID, PracticeID: r.PracticeID, InvoiceID: r.InvoiceID,
		RefundID: r.RefundID, Outcome: r.Outcome, ConversionID: deref(r.ConversionID),
		CreatedAt: r.CreatedAt.UTC()}
	if r.AmountMinor != nil {
		out.Amount = &referral.Money{Minor: *r.AmountMinor, Currency: deref(r.Currency)}
	}
	return out
}

type nearMissRow struct {
	ID          string
	PracticeID  string
	ReferralID  string
	AdvocateID  string
	FriendName  string `gorm:"->"`
	PayerName   string
	PayerEmail  string
	InvoiceID   string
	PaymentID   string
	AmountMinor int64
	Currency    string
	PaidAt      time.Time
	Reason      string
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

func (nearMissRow) TableName() string { return "near_misses" }

func (r *nearMissRow) nearMiss() referral.NearMiss {
	return referral.NearMiss{ID: r.ID, PracticeID: r.PracticeID, ReferralID: r.ReferralID,
		AdvocateID: r.AdvocateID, FriendName: r.FriendName, PayerName: r.PayerName,
		PayerEmail: r.PayerEmail, InvoiceID: r.InvoiceID, PaymentID: r.PaymentID,
		Amount: referral.Money{Minor: r.AmountMinor, Currency: r.Currency}, PaidAt: r.PaidAt.UTC(),
		Reason: r.Reason, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
}

type eventRow struct {
	ID         string
	PracticeID string
	Type       string
	Data       string
	CreatedAt  time.Time
}

func (eventRow) TableName() string { return "events" }

func (r *eventRow) event() referral.Event {
	return referral.Event{ID: r.ID, PracticeID: r.PracticeID, Type: r.Type, CreatedAt: r.CreatedAt.UTC(), Data: []byte(r.Data)}
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
