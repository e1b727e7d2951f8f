package storage

import (
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// The last site each practice's widget was refused on.

type widgetRefusalRow struct {
	PracticeID string `gorm:"primaryKey"`
	Origin     string
	RefusedAt  time.Time
}

func (widgetRefusalRow) TableName() string { return "widget_refusals" }

// SaveWidgetRefusal keeps r, unless the same origin was kept less than a minute before: a site
// that is not allowed is refused on every page view, and staff read the time to the minute.
func (t *tx) SaveWidgetRefusal(practiceID string, r referral.WidgetRefusal) error {
	row := widgetRefusalRow{PracticeID: practiceID, Origin: r.Origin, RefusedAt: r.At}
	err := t.g.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "practice_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"origin", "refused_at"}),
		Where: clause.Where{Exprs: []clause.Expression{clause.Expr{
			SQL:  "widget_refusals.origin <> excluded.origin OR widget_refusals.refused_at < ?",
			Vars: []any{r.At.Add(-time.Minute)}}}}}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("store: save the widget refusal of practice %s: %w", practiceID, err)
	}
	return nil
}

func (t *tx) WidgetRefusal(practiceID string) (*referral.WidgetRefusal, error) {
	var row widgetRefusalRow
	found, err := first(t.g.Where("practice_id = ?", practiceID), &row, "widget refusal of practice "+practiceID)
	if err != nil || !found {
		return nil, err
	}
	return &referral.WidgetRefusal{Origin: row.Origin, At: row.RefusedAt.UTC()}, nil
}
