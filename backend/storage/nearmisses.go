package storage

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Near-misses: payments that almost matched a referral, read with its friend's name.

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

func (t *tx) nearMisses() *gorm.DB {
	return t.g.Table("near_misses").Select("near_misses.*, referrals.friend_name").
		Joins("JOIN referrals ON referrals.id = near_misses.referral_id")
}

func (t *tx) NearMissByID(practiceID, id string) (*referral.NearMiss, error) {
	var row nearMissRow
	found, err := first(t.nearMisses().Where("near_misses.practice_id = ? AND near_misses.id = ?", practiceID, id), &row, "near-miss "+id)
	if err != nil || !found {
		return nil, err
	}
	n := row.nearMiss()
	return &n, nil
}

func (t *tx) InsertNearMiss(n *referral.NearMiss) error {
	return t.insertNew(&nearMissRow{ID: n.ID, PracticeID: n.PracticeID, ReferralID: n.ReferralID,
		AdvocateID: n.AdvocateID, PayerName: n.PayerName, PayerEmail: n.PayerEmail,
		InvoiceID: n.InvoiceID, PaymentID: n.PaymentID, AmountMinor: n.Amount.Minor,
		Currency: n.Amount.Currency, PaidAt: n.PaidAt, Reason: n.Reason, CreatedAt: n.CreatedAt,
		ExpiresAt: n.ExpiresAt}, "near-miss "+n.ID)
}

func (t *tx) DeleteNearMiss(practiceID, id string) error {
	if err := t.g.Where("practice_id = ? AND id = ?", practiceID, id).Delete(&nearMissRow{}).Error; err != nil {
		return fmt.Errorf("store: delete near-miss %s: %w", id, err)
	}
	return nil
}

func (t *tx) DeleteNearMissesBefore(before time.Time) (int64, error) {
	res := t.g.Where("created_at < ?", before).Delete(&nearMissRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: delete near-misses before %s: %w", before.Format(time.RFC3339), res.Error)
	}
	return res.RowsAffected, nil
}

func (t *tx) ListNearMisses(practiceID string, p referral.Page) ([]referral.NearMiss, error) {
	return findAll(page(t.nearMisses().Where("near_misses.practice_id = ?", practiceID), "near_misses", p), (*nearMissRow).nearMiss, "near-misses of practice "+practiceID)
}
