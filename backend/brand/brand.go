// Package brand turns the colour a practice picks into colours that stay readable (WCAG AA,
// 4.5:1) wherever they are used: its patient pages, the dashboard and its emails. A practice may
// pick a pale or a middling colour; no one should get an unreadable page or email for it.
package brand

import (
	"fmt"
	"math"
	"regexp"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Colors are a practice's colours as #rrggbb: Color for buttons and accents with OnColor text
// on them, and Ink for headings and links on the background they were worked out for.
type Colors struct {
	Color, OnColor, Ink string
}

// The extremes text can take, and the contrast body text needs.
const (
	White    = "#ffffff"
	Black    = "#111111"
	Readable = 4.5
)

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Of works out readable colours from color on background. Anything but a #rrggbb colour is the
// default: the result goes into CSS, where a stray character could end a declaration.
func Of(color, background string) Colors {
	c := referral.DefaultBrandColor
	if hexColor.MatchString(color) {
		c = color
	}
	ink := c
	if Contrast(c, background) < Readable {
		ink = Black
	}
	// A middling colour reads badly under both white and black text: darken the buttons.
	for Contrast(c, White) < Readable && Contrast(c, Black) < Readable {
		c = darker(c)
	}
	on := White
	if Contrast(c, Black) > Contrast(c, White) {
		on = Black
	}
	return Colors{Color: c, OnColor: on, Ink: ink}
}

// Contrast is the WCAG contrast ratio of two #rrggbb colours.
func Contrast(a, b string) float64 {
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
