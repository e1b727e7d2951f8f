package referral

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

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

// Parse is the one amount rule for every way in (the API, Zapier, signed webhooks, dashboard
// forms, settings): it reads the amount in minor units of code, exactly, or says what is
// accepted. Spaces around, one currency sign in front ("$1,250.00", "€ 50") and commas that
// group thousands by three are what people write and read one way only. Anything that reads
// two ways is refused, never guessed: "1,50" and "1.250,00" (a European 1.50 and 1250.00),
// "1 250,00", and more decimals than the currency has, even zeros ("1.250" in USD is 1250 to a
// German writer). Exponents ("1e3", 2.5e2) and signs are refused too: no point of sale writes them.
func (a Amount) Parse(code string) (Money, error) {
	s := strings.TrimSpace(string(a))
	plain := Money{Minor: 250 * pow10(Scale(code)), Currency: code}.String()
	example := "such as " + plain + " or 1," + plain // 250.00 or 1,250.00; 250 or 1,250 in JPY
	sign, rest := cutCurrencySign(s)
	if sign != "" && !signOf(sign, code) {
		// A sign that names another currency is a payment in that currency sent without its
		// code (or mapped from the wrong field): reading it as code would mis-state it.
		return Money{}, fmt.Errorf("starts with %s, which is not a sign of %s; send the amount in %s, or send its currency", sign, code, code)
	}
	number := strings.TrimLeftFunc(rest, unicode.IsSpace)
	m := amountText.FindStringSubmatch(number)
	if m == nil {
		return Money{}, errors.New(misread(number, example))
	}
	whole, decimals, scale := strings.ReplaceAll(m[1], ",", ""), m[2], Scale(code)
	if len(decimals) > scale {
		return Money{}, fmt.Errorf("must be an amount %s, with %s for %s: more, even zeros, reads two ways (1.250 is 1,250 to some and 1.25 to others)",
			example, places(scale), code)
	}
	digits := strings.TrimLeft(whole+decimals+strings.Repeat("0", scale-len(decimals)), "0")
	if digits == "" {
		return Money{}, errors.New("must be greater than 0")
	}
	minor, err := strconv.ParseInt(digits, 10, 64)
	if len(digits) > 15 || err != nil || minor > maxMinor {
		return Money{}, errors.New("is too large")
	}
	return Money{Minor: minor, Currency: code}, nil
}

// maxMinor keeps sums of many amounts far from int64 overflow (a trillion major units).
const maxMinor = 1e14

// amountText is digits, plain or grouped by three with commas, and decimals after a dot.
var amountText = regexp.MustCompile(`^([0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.([0-9]+))?$`)

// currencySigns are the signs an amount may start with.
var currencySigns = []string{"$", "€", "£", "¥"}

// cutCurrencySign splits off the currency sign an amount starts with, if any.
func cutCurrencySign(s string) (sign, rest string) {
	for _, sign := range currencySigns {
		if rest, ok := strings.CutPrefix(s, sign); ok {
			return sign, rest
		}
	}
	return "", s
}

// signOf reports whether sign is how people write code: "$" for every dollar and peso, "¥"
// for the yen and the yuan, as the CLDR's narrow symbols say.
func signOf(sign, code string) bool {
	u, err := currency.ParseISO(code)
	return err == nil && fmt.Sprint(currency.NarrowSymbol(u)) == sign
}

// misread says why the number of an amount (what follows its sign) was refused, and what is
// accepted.
func misread(s, example string) string {
	switch {
	case s == "":
		return "must be an amount " + example
	case strings.HasPrefix(s, "-"):
		return "must be greater than 0"
	case strings.HasPrefix(s, "+"):
		return "must be an amount " + example + ", without a sign"
	case exponent.MatchString(s):
		return "must be an amount " + example + ", written out without an exponent"
	case strings.Contains(s, ",") || spaceInside.MatchString(s):
		return "must be an amount " + example + "; commas may only group thousands by three, and a dot marks the decimals, so this reads two ways"
	}
	return "must be an amount " + example
}

// spaceInside is a space between digits, as in "1 250,00".
var spaceInside = regexp.MustCompile(`[0-9.]\s+[0-9]`)

// exponent is a number in scientific notation: 1e3, 2.5E-2.
var exponent = regexp.MustCompile(`^[0-9.,]*[0-9][eE][+-]?[0-9]+$`)

// places says how many decimals a currency has, in words.
func places(scale int) string {
	switch scale {
	case 0:
		return "no decimals"
	case 1:
		return "at most 1 decimal"
	}
	return "at most " + strconv.Itoa(scale) + " decimals"
}
