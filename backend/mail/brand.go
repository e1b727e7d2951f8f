package mail

import (
	"fmt"
	"html/template"
	"math"
	"regexp"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// brand is a practice's colour as email can use it: an accent bar and buttons in Color with
// text in OnColor, and links in Ink. A pale or middling colour is darkened until white or
// black text on it reads (WCAG AA, 4.5:1), so no practice can pick an unreadable email.
type brand struct {
	Color, OnColor, Ink template.CSS
}

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

const (
	white      = "#ffffff"
	black      = "#111111"
	aaContrast = 4.5
)

func brandOf(p *referral.Practice) brand {
	c := referral.DefaultBrandColor
	if hexColor.MatchString(p.BrandColor) {
		c = p.BrandColor // checked again: it goes into a style attribute
	}
	for contrast(c, white) < aaContrast && contrast(c, black) < aaContrast {
		c = darker(c)
	}
	on := white
	if contrast(c, black) > contrast(c, white) {
		on = black
	}
	ink := c // links sit on white
	if contrast(c, white) < aaContrast {
		ink = black
	}
	return brand{Color: template.CSS(c), OnColor: template.CSS(on), Ink: template.CSS(ink)}
}

// contrast is the WCAG contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	r, g, b := rgb(hex)
	lin := func(v int) float64 {
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func rgb(hex string) (r, g, b int) {
	fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b)
	return r, g, b
}

func darker(hex string) string {
	r, g, b := rgb(hex)
	return fmt.Sprintf("#%02x%02x%02x", r*9/10, g*9/10, b*9/10)
}
