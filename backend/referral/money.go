package referral

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
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
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2 // only codes ParseCurrency accepted get here; be safe rather than panic
	}
	scale, _ := currency.Standard.Rounding(u)
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

// Display is how people read an amount, with its currency: "50.00 USD".
func (m Money) Display() string { return m.String() + " " + m.Currency }

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

// Parse turns the amount into minor units of code, exactly: "250.00", "250", 250.5 and 2.5e2
// are all fine, extra zero decimals too; a fraction of a minor unit is not.
func (a Amount) Parse(code string) (Money, error) {
	s := strings.TrimSpace(string(a))
	if s == "" || len(s) > 40 || strings.Trim(s, "0123456789.eE+-") != "" {
		return Money{}, fmt.Errorf("must be a number such as 250.00")
	}
	// An exponent of two digits at most: 1e999999999 would make big.Rat compute a huge power.
	if _, exp, ok := strings.Cut(strings.ToLower(s), "e"); ok && len(strings.TrimLeft(exp, "+-")) > 2 {
		return Money{}, fmt.Errorf("must be a number such as 250.00")
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return Money{}, fmt.Errorf("must be a number such as 250.00")
	}
	if r.Sign() <= 0 {
		return Money{}, fmt.Errorf("must be greater than 0")
	}
	minor := r.Mul(r, new(big.Rat).SetInt64(pow10(Scale(code))))
	if !minor.IsInt() {
		return Money{}, fmt.Errorf("has more decimal places than %s allows", code)
	}
	if !minor.Num().IsInt64() || minor.Num().Int64() > maxMinor {
		return Money{}, fmt.Errorf("is too large")
	}
	return Money{Minor: minor.Num().Int64(), Currency: code}, nil
}

// maxMinor keeps sums of many amounts far from int64 overflow (a trillion major units).
const maxMinor = 1e14
