package storage

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Practices and their settings; a practice is found by its id, its slug or an API key.

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

func (t *tx) CreatePractice(p *referral.Practice) (bool, error) {
	return t.insert(toPracticeRow(p), "practice "+p.ID)
}

// LockPractice takes FOR NO KEY UPDATE, not FOR UPDATE: inserts referencing the practice take
// FOR KEY SHARE on its row, and FOR UPDATE would deadlock with them.
func (t *tx) LockPractice(id, keyHash string) (*referral.Practice, error) {
	return t.holdPractice(id, keyHash, "NO KEY UPDATE")
}

// SharePractice takes FOR SHARE: it waits for a LockPractice, not for another SharePractice.
func (t *tx) SharePractice(id, keyHash string) (*referral.Practice, error) {
	return t.holdPractice(id, keyHash, "SHARE")
}

// holdPractice reads and locks the practice, checking the API key in the same statement.
func (t *tx) holdPractice(id, keyHash, strength string) (*referral.Practice, error) {
	q := t.g.Table("practices").Select("practices.*").Where("practices.id = ?", id).
		Clauses(clause.Locking{Strength: strength, Table: clause.Table{Name: "practices"}})
	if keyHash != "" {
		q = q.Joins("JOIN api_keys ON api_keys.practice_id = practices.id").
			Where("api_keys.hash = ? AND api_keys.revoked_at IS NULL", keyHash)
	}
	var row practiceRow
	found, err := first(q, &row, "practice "+id)
	if err != nil || !found {
		return nil, err
	}
	return row.practice(), nil
}

func (t *tx) UpdatePractice(p *referral.Practice) error {
	return t.save(toPracticeRow(p), "practice "+p.ID)
}

func (t *tx) PracticeBySlug(slug string) (*referral.Practice, error) {
	return t.practiceWhere("practice "+slug, "slug = ?", slug)
}

func (t *tx) PracticeByID(id string) (*referral.Practice, error) {
	return t.practiceWhere("practice "+id, "id = ?", id)
}

func (t *tx) practiceWhere(what, query string, args ...any) (*referral.Practice, error) {
	var row practiceRow
	found, err := first(t.g.Where(query, args...), &row, what)
	if err != nil || !found {
		return nil, err
	}
	return row.practice(), nil
}

func (t *tx) PracticeByAPIKey(hash string) (*referral.Practice, error) {
	var row practiceRow
	found, err := first(t.g.Table("practices").Select("practices.*").
		Joins("JOIN api_keys ON api_keys.practice_id = practices.id").
		Where("api_keys.hash = ? AND api_keys.revoked_at IS NULL", hash), &row, "practice by API key")
	if err != nil || !found {
		return nil, err
	}
	return row.practice(), nil
}

func (t *tx) CountPractices() (int, error) {
	var n int64
	if err := t.g.Model(&practiceRow{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: count practices: %w", err)
	}
	return int(n), nil
}
