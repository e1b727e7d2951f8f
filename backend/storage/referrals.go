package storage

import (
	"database/sql"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Referrals, read with their advocate, and the search for the one a payment is for.

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

func toReferralRow(r *referral.Referral) *referralRow {
	row := &referralRow{ID: r.ID, PracticeID: r.PracticeID, AdvocateID: r.AdvocateID,
		FriendName: r.FriendName, FriendEmail: r.FriendEmail, Source: r.Source, Status: r.Status,
		ClaimedAt: r.ClaimedAt, ConvertedAt: r.ConvertedAt}
	row.FriendFirstName, row.FriendLastName = referral.NameKeys(r.FriendName)
	return row
}

func (t *tx) referrals() *gorm.DB {
	return t.g.Table("referrals").
		Select("referrals.*, advocates.name AS advocate_name, advocates.code AS advocate_code, advocates.email AS advocate_email").
		Joins("JOIN advocates ON advocates.id = referrals.advocate_id")
}

func (t *tx) referralWhere(what, query string, args ...any) (*referral.Referral, error) {
	var row referralRow
	found, err := first(t.referrals().Where(query, args...), &row, what)
	if err != nil || !found {
		return nil, err
	}
	r := row.referral()
	return &r, nil
}

func (t *tx) ReferralByID(practiceID, id string) (*referral.Referral, error) {
	return t.referralWhere("referral "+id, "referrals.practice_id = ? AND referrals.id = ?", practiceID, id)
}

func (t *tx) ReferralByFriendEmail(practiceID, email string) (*referral.Referral, error) {
	return t.referralWhere("referral by email in practice "+practiceID, "referrals.practice_id = ? AND referrals.friend_email = ?", practiceID, email)
}

// ReferralForPayment locks the advocate too: FOR NO KEY UPDATE OF both tables.
func (t *tx) ReferralForPayment(practiceID, email string) (*referral.Referral, error) {
	var row referralRow
	q := t.referrals().Where("referrals.practice_id = ? AND referrals.friend_email = ?", practiceID, email).
		Clauses(clause.Locking{Strength: "NO KEY UPDATE", Table: clause.Table{Name: "referrals, advocates", Raw: true}})
	found, err := first(q, &row, "referral for a payment in practice "+practiceID)
	if err != nil || !found {
		return nil, err
	}
	r := row.referral()
	return &r, nil
}

// NearMissCandidates narrows by the index on (last name, first name) alone, reading no
// referral row until its first name passes; length and substr count characters on both
// databases.
func (t *tx) NearMissCandidates(practiceID, first, last string) ([]referral.Referral, error) {
	candidates := t.g.Table("referrals").Select("id").Where("practice_id = ? AND status = ? AND friend_last_name = ?", practiceID, referral.Pending, last).
		Where(`(friend_first_name = @f
			OR length(@f) >= 3 AND substr(friend_first_name, 1, length(@f)) = @f
			OR length(friend_first_name) >= 3 AND substr(@f, 1, length(friend_first_name)) = friend_first_name
			OR abs(length(friend_first_name) - length(@f)) <= 1 AND (substr(friend_first_name, 1, 1) = substr(@f, 1, 1)
				OR substr(friend_first_name, 2) IN (substr(@f, 2), @f) OR friend_first_name = substr(@f, 2)))`,
			sql.Named("f", first))
	return findAll(t.referrals().Where("referrals.id IN (?)", candidates).Order("referrals.id DESC"),
		(*referralRow).referral, "near-miss candidates in practice "+practiceID)
}

func (t *tx) InsertReferral(r *referral.Referral) (bool, error) {
	return t.insert(toReferralRow(r), "referral "+r.ID)
}

func (t *tx) UpdateReferral(r *referral.Referral) error {
	return t.save(toReferralRow(r), "referral "+r.ID)
}

func (t *tx) ListReferrals(practiceID string, f referral.ReferralFilter, p referral.Page) ([]referral.Referral, error) {
	q := t.referrals().Where("referrals.practice_id = ?", practiceID)
	if f.AdvocateID != "" {
		q = q.Where("referrals.advocate_id = ?", f.AdvocateID)
	}
	if f.FriendEmail != "" {
		q = q.Where("referrals.friend_email = ?", f.FriendEmail)
	}
	if f.Status != "" {
		q = q.Where("referrals.status = ?", f.Status)
	}
	if f.Search != "" {
		q = q.Where("("+search("referrals.friend_name", "referrals.friend_email", "advocates.code")+
			" OR "+search("advocates.name", "advocates.email")+")", searchArgs(f.Search)...)
	}
	return findAll(page(q, "referrals", p), (*referralRow).referral, "referrals of practice "+practiceID)
}
