package referral_test

import (
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// TestMoneyDisplay writes amounts as people do, in currencies of every scale, with a symbol
// of their own, one that names its country, or none.
func TestMoneyDisplay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		money referral.Money
		want  string
	}{
		{referral.Money{Minor: 5000, Currency: "USD"}, "$50"},
		{referral.Money{Minor: 125050, Currency: "USD"}, "$1,250.50"},
		{referral.Money{Minor: 1, Currency: "USD"}, "$0.01"},
		{referral.Money{Minor: 123456789, Currency: "USD"}, "$1,234,567.89"},
		{referral.Money{Minor: 5000, Currency: "EUR"}, "€50"},
		{referral.Money{Minor: 4050, Currency: "GBP"}, "£40.50"},
		{referral.Money{Minor: 5000, Currency: "JPY"}, "¥5,000"},
		{referral.Money{Minor: 50000, Currency: "KRW"}, "₩50,000"},
		{referral.Money{Minor: 15000, Currency: "KWD"}, "KWD 15"},
		{referral.Money{Minor: 15250, Currency: "KWD"}, "KWD 15.250"},
		{referral.Money{Minor: 5000, Currency: "CAD"}, "CA$50"}, // "$" alone would read as US dollars
		{referral.Money{Minor: 35000, Currency: "CNY"}, "CN¥350"},
		{referral.Money{Minor: 4000, Currency: "CHF"}, "CHF 40"},
		{referral.Money{Minor: -2500, Currency: "USD"}, "-$25"},
		{referral.Money{Minor: 0, Currency: "USD"}, "$0"},
	} {
		if got := tc.money.Display(); got != tc.want {
			t.Errorf("%d %s displays %q, want %q", tc.money.Minor, tc.money.Currency, got, tc.want)
		}
	}
}

// TestMoneyDisplayReadsBack: what a page shows, typed back into a form, is the same amount.
func TestMoneyDisplayReadsBack(t *testing.T) {
	t.Parallel()
	for _, m := range []referral.Money{
		{Minor: 125050, Currency: "USD"}, {Minor: 5000, Currency: "EUR"},
		{Minor: 4001, Currency: "GBP"}, {Minor: 1234567, Currency: "JPY"},
	} {
		got, err := referral.Amount(m.Display()).Parse(m.Currency)
		if err != nil || got != m {
			t.Errorf("%q read back as %+v, %v; want %+v", m.Display(), got, err, m)
		}
	}
}
