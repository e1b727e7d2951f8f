package dashboard

import (
	"fmt"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// chart is twelve months of conversions and referred revenue as SVG bars, drawn on the
// server: revenue as bar height, the conversion count written above each bar.
type chart struct {
	Width, Height int
	Bars          []bar
	Summary       string // the chart's <title> and description for screen readers
}

type bar struct {
	X, Y, W, H int
	LabelX     int
	Month      string
	Count      int
	Revenue    string
}

func newChart(months []referral.MonthTotal) chart {
	const width, height, top, bottom = 720, 240, 24, 28
	c := chart{Width: width, Height: height}
	var most int64
	var total int64
	var count int
	for _, m := range months {
		most = max(most, m.Amount.Minor)
		total += m.Amount.Minor
		count += m.Count
	}
	slot := width / max(len(months), 1)
	for i, m := range months {
		h := 0
		if most > 0 {
			h = int(m.Amount.Minor * int64(height-top-bottom) / most)
		}
		c.Bars = append(c.Bars, bar{X: i*slot + 8, W: slot - 16, H: h, Y: height - bottom - h,
			LabelX: i*slot + slot/2, Month: m.Month, Count: m.Count, Revenue: m.Amount.Display()})
	}
	currency := ""
	if len(months) > 0 {
		currency = months[0].Amount.Currency
	}
	c.Summary = fmt.Sprintf("Conversions and referred revenue by month, last 12 months: %d conversions, %s in all.",
		count, referral.Money{Minor: total, Currency: currency}.Display())
	return c
}
