package mail

import (
	"html/template"

	"github.com/advocateloop/advocateloop/backend/brand"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// colors are a practice's colours as email uses them: an accent bar and buttons in Color with
// text in OnColor, and links in Ink on the message's white.
type colors struct {
	Color, OnColor, Ink template.CSS
}

func brandOf(p *referral.Practice) colors {
	c := brand.Of(p.BrandColor, brand.White)
	return colors{Color: template.CSS(c.Color), OnColor: template.CSS(c.OnColor), Ink: template.CSS(c.Ink)}
}
