package brand_test

import (
	"testing"

	"github.com/advocateloop/advocateloop/backend/brand"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Whatever colour a practice picks, text on its buttons and its links stay readable.
func TestColoursStayReadable(t *testing.T) {
	for _, background := range []string{brand.White, "#f6f6f9"} {
		for _, c := range []string{"#6b4eff", "#ffffff", "#000000", "#f5d142", "#fff7b0", "#808080", "#00ff00", "#ff0000", "", "teal", "#12345", "red;}"} {
			b := brand.Of(c, background)
			if on := brand.Contrast(b.Color, b.OnColor); on < brand.Readable {
				t.Errorf("%q: text on the button %s/%s has contrast %.2f", c, b.Color, b.OnColor, on)
			}
			if ink := brand.Contrast(b.Ink, background); ink < brand.Readable {
				t.Errorf("%q on %s: links in %s have contrast %.2f", c, background, b.Ink, ink)
			}
			if len(b.Color) != 7 || b.Color[0] != '#' {
				t.Errorf("%q: colour %q", c, b.Color)
			}
		}
	}
	if b := brand.Of("#0b6e4f", brand.White); b != (brand.Colors{Color: "#0b6e4f", OnColor: brand.White, Ink: "#0b6e4f"}) {
		t.Errorf("a dark green is used as it is: %+v", b)
	}
	if b := brand.Of("not a colour", brand.White); b.Color != referral.DefaultBrandColor {
		t.Errorf("a malformed colour gives %q, want the default", b.Color)
	}
}
