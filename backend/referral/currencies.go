package referral

import (
	"slices"

	"golang.org/x/text/currency"
)

// defaultRewards is the default reward in the currencies med spas bill in, in major units:
// about 50 US dollars, rounded the way people price in each (EUR 50, GBP 40, JPY 5,000),
// rather than "50" of whatever the currency is, which is 50 yen or 150 US dollars in dinars.
// The admin sets the real amount in Settings; this only has to be a sensible start.
var defaultRewards = map[string]int64{
	"USD": 50, "CAD": 50, "AUD": 75, "NZD": 75, "EUR": 50, "GBP": 40, "CHF": 40,
	"SEK": 500, "NOK": 500, "DKK": 350, "PLN": 200, "CZK": 1000, "HUF": 20000, "ILS": 200,
	"MXN": 1000, "BRL": 250, "COP": 200000, "CLP": 50000,
	"JPY": 5000, "KRW": 50000, "CNY": 350, "HKD": 400, "TWD": 1500, "SGD": 70, "MYR": 250,
	"THB": 1500, "PHP": 2500, "IDR": 800000, "VND": 1250000, "INR": 4000,
	"AED": 200, "SAR": 200, "QAR": 200, "KWD": 15, "BHD": 20, "OMR": 20, "ZAR": 1000,
}

// fallbackReward is the default in a currency missing from the table (those whose value moves
// too fast for a fixed figure among them): 50 major units, the US figure, for the admin to
// check in Settings.
const fallbackReward = 50

// defaultReward is the reward a new practice starts with, in its currency.
func defaultReward(currency string) Money {
	major, ok := defaultRewards[currency]
	if !ok {
		major = fallbackReward
	}
	return Money{Minor: major * pow10(Scale(currency)), Currency: currency}
}

// Currencies are the ISO 4217 codes in use as legal tender somewhere today, sorted: what a
// practice may bill in.
var Currencies = func() []string {
	seen := map[string]bool{}
	var out []string
	for it := currency.Query(); it.Next(); {
		if code, ok := ParseCurrency(it.Unit().String()); ok && !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}()
