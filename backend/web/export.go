package web

import (
	"html/template"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Stylesheet is the patient pages' CSS, so the staff dashboard looks like them.
func Stylesheet() template.CSS { return pageCSS }

// BrandStyle is the CSS custom properties of a practice's colours (--brand, --on-brand, --ink),
// adjusted for contrast as on the patient pages.
func BrandStyle(p *referral.Practice) template.CSS {
	b := brandOf(p)
	return template.CSS("--brand:" + string(b.Color) + ";--on-brand:" + string(b.OnColor) + ";--ink:" + string(b.Ink))
}
