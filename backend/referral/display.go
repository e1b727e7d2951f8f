package referral

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// english groups thousands the way the pages and emails are written: 5,000.
var english = message.NewPrinter(language.English)

// Display is how people write an amount: "$50", "€50", "¥5,000", "$1,250.50". A whole amount
// drops its zero decimals; the rest keep all of them. The symbol is the CLDR's English one,
// which names the country where "$" or "¥" alone would be ambiguous ("CA$50", "CN¥350"), and a
// currency without a symbol of its own is written with its code: "CHF 40".
func (m Money) Display() string {
	sign, v := "", m.Minor
	if v < 0 {
		sign, v = "-", -v
	}
	scale := Scale(m.Currency)
	p := pow10(scale)
	number := english.Sprintf("%d", v/p)
	if v%p != 0 {
		number += fmt.Sprintf(".%0*d", scale, v%p)
	}
	return sign + symbol(m.Currency) + number
}

// symbol is what stands before the number: "$", "CA$", or "CHF " for a code.
func symbol(code string) string {
	u, err := currency.ParseISO(code)
	if err != nil {
		return code + " "
	}
	s := english.Sprint(currency.Symbol(u))
	if r := []rune(s); unicode.IsLetter(r[len(r)-1]) {
		return strings.TrimSpace(s) + " "
	}
	return s
}
