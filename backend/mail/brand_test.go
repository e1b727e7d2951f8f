package mail

import (
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Whatever colour a practice picks, button text and links stay readable (WCAG AA).
func TestBrandColoursStayReadable(t *testing.T) {
	for _, c := range []string{"#6b4eff", "#ffffff", "#000000", "#f5d142", "#fff7b0", "#808080", "#00ff00", "#ff0000", "", "teal", "#12345"} {
		b := brandOf(&referral.Practice{BrandColor: c})
		if on := contrast(string(b.Color), string(b.OnColor)); on < aaContrast {
			t.Errorf("%q: text on the button %s/%s has contrast %.2f", c, b.Color, b.OnColor, on)
		}
		if ink := contrast(string(b.Ink), white); ink < aaContrast {
			t.Errorf("%q: links in %s have contrast %.2f", c, b.Ink, ink)
		}
		if !hexColor.MatchString(string(b.Color)) {
			t.Errorf("%q: colour %q", c, b.Color)
		}
	}
	if b := brandOf(&referral.Practice{BrandColor: "#0b6e4f"}); b.Color != "#0b6e4f" || b.OnColor != white || b.Ink != "#0b6e4f" {
		t.Errorf("a dark green is used as it is: %+v", b)
	}
}
