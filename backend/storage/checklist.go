package storage

import (
	"fmt"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// The home page's set-up checklist: what the data says, and what the admin dismissed.

type checklistDismissalRow struct {
	PracticeID  string `gorm:"primaryKey"`
	Item        string `gorm:"primaryKey"`
	DismissedAt time.Time
}

func (checklistDismissalRow) TableName() string { return "checklist_dismissals" }

func (t *tx) ChecklistDismissals(practiceID string) ([]string, error) {
	var items []string
	if err := t.g.Model(&checklistDismissalRow{}).Where("practice_id = ?", practiceID).Pluck("item", &items).Error; err != nil {
		return nil, fmt.Errorf("store: list checklist dismissals of practice %s: %w", practiceID, err)
	}
	return items, nil
}

func (t *tx) InsertChecklistDismissal(practiceID, step string, at time.Time) (bool, error) {
	return t.insert(&checklistDismissalRow{PracticeID: practiceID, Item: step, DismissedAt: at}, "dismissal of checklist step "+step+" of practice "+practiceID)
}

// PaymentReceived: a payment with no conversion (no_match, not_paid, …) or one converted by
// a payment came from the practice's system; the front desk's hand-marked ones convert by hand.
func (t *tx) PaymentReceived(practiceID string) (bool, error) {
	// EXISTS stops at the first such payment; a COUNT would read them all on every home page.
	var found bool
	err := t.g.Raw(`SELECT EXISTS (SELECT 1 FROM payments LEFT JOIN conversions ON conversions.id = payments.conversion_id
		WHERE payments.practice_id = ? AND (conversions.id IS NULL OR conversions.source = ?))`, practiceID, referral.SourcePayment).
		Row().Scan(&found)
	if err != nil {
		return false, fmt.Errorf("store: find a payment received by practice %s: %w", practiceID, err)
	}
	return found, nil
}
