package storage

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Conversions, read with their advocate, friend and reward, and the leaderboard they make.

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

func toConversionRow(c *referral.Conversion) *conversionRow {
	row := &conversionRow{ID: c.ID, PracticeID: c.PracticeID, ReferralID: c.ReferralID,
		AdvocateID: c.AdvocateID, InvoiceID: c.InvoiceID, PaymentID: c.PaymentID,
		AmountMinor: c.Amount.Minor, Currency: c.Amount.Currency, PaidAt: c.PaidAt,
		Source: c.Source, Status: c.Status, ReversedAt: c.ReversedAt, CreatedAt: c.CreatedAt}
	if c.Status == referral.Rewarded {
		row.InvoiceKey = &row.InvoiceID
	}
	return row
}

func (t *tx) conversions() *gorm.DB {
	return t.g.Table("conversions").
		Select("conversions.*, advocates.name AS advocate_name, advocates.email AS advocate_email, " +
			"advocates.code AS advocate_code, referrals.friend_name, referrals.friend_email").
		Joins("JOIN referrals ON referrals.id = conversions.referral_id").
		Joins("JOIN advocates ON advocates.id = conversions.advocate_id")
}

// findConversions loads conversions with their rewards (one more query, not one per row).
func (t *tx) findConversions(q *gorm.DB, what string) ([]referral.Conversion, error) {
	var rows []conversionRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: read %s: %w", what, err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	var rewards []rewardRow
	if err := t.rewards().Where("rewards.conversion_id IN ?", ids).Find(&rewards).Error; err != nil {
		return nil, fmt.Errorf("store: read the rewards of %s: %w", what, err)
	}
	byConversion := make(map[string]*referral.Reward, len(rewards))
	for i := range rewards {
		r := rewards[i].reward()
		byConversion[r.ConversionID] = &r
	}
	out := make([]referral.Conversion, len(rows))
	for i := range rows {
		out[i] = rows[i].conversion()
		out[i].Reward = byConversion[rows[i].ID]
	}
	return out, nil
}

func (t *tx) conversionWhere(what, query string, args ...any) (*referral.Conversion, error) {
	list, err := t.findConversions(t.conversions().Where(query, args...).Limit(1), what)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

func (t *tx) ConversionByID(practiceID, id string) (*referral.Conversion, error) {
	return t.conversionWhere("conversion "+id, "conversions.practice_id = ? AND conversions.id = ?", practiceID, id)
}

func (t *tx) StandingConversion(practiceID, referralID string) (*referral.Conversion, error) {
	return t.conversionWhere("standing conversion of referral "+referralID, "conversions.practice_id = ? AND conversions.referral_id = ? AND conversions.status = ?",
		practiceID, referralID, referral.Rewarded)
}

// ConversionByInvoice is the invoice's standing conversion, or else its latest reversed one.
func (t *tx) ConversionByInvoice(practiceID, invoiceID string) (*referral.Conversion, error) {
	list, err := t.findConversions(t.conversions().
		Where("conversions.practice_id = ? AND conversions.invoice_id = ?", practiceID, invoiceID).
		Order("conversions.status = '"+referral.Rewarded+"' DESC, conversions.id DESC").Limit(1),
		"conversion of invoice "+invoiceID+" in practice "+practiceID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// ConvertReferral is one statement on PostgreSQL (the conversion's insert feeds the
// referral's update); SQLite, with no round trips to save, runs the two in turn.
func (t *tx) ConvertReferral(c *referral.Conversion) (bool, error) {
	row := toConversionRow(c)
	// Nothing is inserted when the referral or the invoice already has a standing conversion.
	const insert = `INSERT INTO conversions (id, practice_id, referral_id, advocate_id, invoice_id, payment_id,
		amount_minor, currency, paid_at, source, status, reversed_at, created_at, invoice_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	args := []any{row.ID, row.PracticeID, row.ReferralID, row.AdvocateID, row.InvoiceID, row.PaymentID,
		row.AmountMinor, row.Currency, row.PaidAt, row.Source, row.Status, row.ReversedAt, row.CreatedAt, row.InvoiceKey}
	if t.postgres {
		res := t.g.Exec(`WITH converted AS (`+insert+` RETURNING referral_id)
			UPDATE referrals SET status = ?, converted_at = ? WHERE id = (SELECT referral_id FROM converted)`,
			append(args, referral.Converted, c.CreatedAt)...)
		if res.Error != nil {
			return false, fmt.Errorf("store: convert referral %s by conversion %s: %w", c.ReferralID, c.ID, res.Error)
		}
		return res.RowsAffected == 1, nil
	}
	res := t.g.Exec(insert, args...)
	if res.Error != nil {
		return false, fmt.Errorf("store: insert conversion %s for referral %s: %w", c.ID, c.ReferralID, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	err := t.g.Exec(`UPDATE referrals SET status = ?, converted_at = ? WHERE id = ?`, referral.Converted, c.CreatedAt, c.ReferralID).Error
	if err != nil {
		return false, fmt.Errorf("store: mark referral %s converted by %s: %w", c.ReferralID, c.ID, err)
	}
	return true, nil
}

func (t *tx) UpdateConversion(c *referral.Conversion) error {
	return t.save(toConversionRow(c), "conversion "+c.ID)
}

func (t *tx) ListConversions(practiceID string, f referral.ConversionFilter, p referral.Page) ([]referral.Conversion, error) {
	q := t.conversions().Where("conversions.practice_id = ?", practiceID)
	if f.Status != "" {
		q = q.Where("conversions.status = ?", f.Status)
	}
	if f.AdvocateID != "" {
		q = q.Where("conversions.advocate_id = ?", f.AdvocateID)
	}
	if f.InvoiceID != "" {
		q = q.Where("conversions.invoice_id = ?", f.InvoiceID)
	}
	if !f.From.IsZero() {
		q = q.Where("conversions.paid_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("conversions.paid_at < ?", f.To)
	}
	return t.findConversions(page(q, "conversions", p), "conversions of practice "+practiceID)
}

func (t *tx) Leaderboard(practiceID string, since time.Time, limit int) ([]referral.AdvocateCount, error) {
	var rows []struct {
		AdvocateID string
		Name       string
		Count      int
	}
	q := t.g.Table("conversions").Select("conversions.advocate_id, advocates.name, COUNT(*) AS count").
		Joins("JOIN advocates ON advocates.id = conversions.advocate_id").
		Where("conversions.practice_id = ? AND conversions.status = ?", practiceID, referral.Rewarded)
	if !since.IsZero() {
		q = q.Where("conversions.paid_at >= ?", since)
	}
	err := q.Group("conversions.advocate_id, advocates.name").
		Order("count DESC, advocates.name").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: count conversions by advocate in practice %s: %w", practiceID, err)
	}
	out := make([]referral.AdvocateCount, len(rows))
	for i, r := range rows {
		out[i] = referral.AdvocateCount{AdvocateID: r.AdvocateID, Name: r.Name, Count: r.Count}
	}
	return out, nil
}
