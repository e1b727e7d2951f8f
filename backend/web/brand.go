package web

import (
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strconv"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// brand is a practice's colour and the colours that stay readable next to it: a practice may
// pick a pale or a middling colour, and its pages must still pass WCAG AA contrast.
type brand struct {
	Color   template.CSS // buttons and accents
	OnColor template.CSS // text on Color
	Ink     template.CSS // headings and links on the page: Color when it is dark enough
}

var hexColor = regexp.MustCompile(`^#[0-9a-f]{6}$`)

const (
	white    = "#ffffff"
	black    = "#111111"
	paper    = "#f6f6f9" // the page's background, a little darker than the cards
	readable = 4.5       // AA's contrast for body text
)

// brandOf checks the colour again before it goes into CSS, where a stray character could
// end the declaration; settings validation should have made that impossible already.
func brandOf(p *referral.Practice) brand {
	c := referral.DefaultBrandColor
	if p != nil && hexColor.MatchString(p.BrandColor) {
		c = p.BrandColor
	}
	ink := c
	if contrast(c, paper) < readable {
		ink = black
	}
	// A middling colour reads badly under both white and black text: darken the buttons.
	for contrast(c, white) < readable && contrast(c, black) < readable {
		c = darken(c)
	}
	on := white
	if contrast(c, black) > contrast(c, white) {
		on = black
	}
	return brand{Color: template.CSS(c), OnColor: template.CSS(on), Ink: template.CSS(ink)}
}

// contrast is the WCAG contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	var l float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		c := float64(channel(hex, i)) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += weight * c
	}
	return l
}

func channel(hex string, i int) uint64 {
	v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
	return v
}

func darken(hex string) string {
	return fmt.Sprintf("#%02x%02x%02x", channel(hex, 0)*9/10, channel(hex, 1)*9/10, channel(hex, 2)*9/10)
}
