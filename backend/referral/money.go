package referral

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an amount in a currency's minor units (cents), so sums never round.
type Money struct {
	Minor    int64
	Currency string
}

// Scale is how many decimal places a currency's minor unit has (2 for USD, 0 for JPY).
func Scale(code string) int {
	scale, _ := currency.Standard.Rounding(currency.MustParseISO(code))
	return scale
}

// ParseCurrency returns the upper-case ISO 4217 code, or false for anything else.
func ParseCurrency(s string) (string, bool) {
	u, err := currency.ParseISO(strings.TrimSpace(s))
	if err != nil || u.String() == "XXX" || u.String() == "XTS" {
		return "", false
	}
	return u.String(), true
}

// String gives major units with the currency's decimals, e.g. "250.00".
func (m Money) String() string {
	scale := Scale(m.Currency)
	sign, v := "", m.Minor
	if v < 0 {
		sign, v = "-", -v
	}
	if scale == 0 {
		return sign + strconv.FormatInt(v, 10)
	}
	p := pow10(scale)
	return fmt.Sprintf("%s%d.%0*d", sign, v/p, scale, v%p)
}

// Amount is a money amount as it arrives: a JSON number or a numeric string in major units.
// It keeps the text so that no float ever touches money; the currency decides what is valid.
type Amount string

// UnmarshalJSON accepts anything; Parse reports what is wrong with it, naming the field.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var s string
	if json.Unmarshal(b, &s) == nil {
		*a = Amount(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		*a = ""
		return nil
	}
	*a = Amount(b) // a number keeps its literal text; anything else fails in Parse
	return nil
}

// Parse turns the amount into minor units of code. Extra zero decimals are fine ("250.000");
// a fraction of a minor unit is not.
func (a Amount) Parse(code string) (Money, error) {
	s := strings.TrimSpace(string(a))
	scale := Scale(code)
	if strings.HasPrefix(s, "-") {
		return Money{}, fmt.Errorf("must be greater than 0")
	}
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "+"), ".")
	if whole+frac == "" || !digits(whole) || !digits(frac) {
		return Money{}, fmt.Errorf("must be a number such as 250.00")
	}
	trimmed := strings.TrimRight(frac, "0")
	if len(trimmed) > scale {
		return Money{}, fmt.Errorf("has more decimal places than %s allows", code)
	}
	frac = trimmed + strings.Repeat("0", scale-len(trimmed))
	n, err := strconv.ParseInt("0"+whole+frac, 10, 64)
	if err != nil || n > maxMinor {
		return Money{}, fmt.Errorf("is too large")
	}
	if n <= 0 {
		return Money{}, fmt.Errorf("must be greater than 0")
	}
	return Money{Minor: n, Currency: code}, nil
}

// maxMinor keeps sums of many amounts far from int64 overflow (a trillion major units).
const maxMinor = 1e14

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
