package edge

import (
	"html/template"

	"github.com/advocateloop/advocateloop/backend/brand"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// colors are a practice's colours as its pages use them: buttons and accents in Color with
// OnColor text, headings and links in Ink on the page's background.
type colors struct {
	Color   template.CSS
	OnColor template.CSS
	Ink     template.CSS
}

// paper is the pages' background, a little darker than the cards.
const paper = "#f6f6f9"

// brandOf is the practice's readable colours; a page of no practice gets the default ones.
func brandOf(p *referral.Practice) colors {
	color := ""
	if p != nil {
		color = p.BrandColor
	}
	c := brand.Of(color, paper)
	return colors{Color: template.CSS(c.Color), OnColor: template.CSS(c.OnColor), Ink: template.CSS(c.Ink)}
}

// BrandStyle is the CSS custom properties of a practice's colours (--brand, --on-brand, --ink),
// adjusted for contrast; pages call it as brand.
func BrandStyle(p *referral.Practice) template.CSS {
	b := brandOf(p)
	return template.CSS("--brand:" + string(b.Color) + ";--on-brand:" + string(b.OnColor) + ";--ink:" + string(b.Ink))
}
