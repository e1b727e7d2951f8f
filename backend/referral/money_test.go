package referral_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// TestAmountParse holds the one amount rule to every form it accepts and refuses, in a
// currency of each scale: USD (2 decimals), JPY (none) and KWD (3). A refusal says what is
// accepted, and why when it can tell.
func TestAmountParse(t *testing.T) {
	t.Parallel()
	type form struct {
		amount   referral.Amount
		currency string
		minor    int64  // when accepted
		err      string // when refused: a part of the detail
	}
	accepted := []form{
		{"250", "USD", 25000, ""},
		{"250.5", "USD", 25050, ""}, // a JSON number keeps its text
		{"250.00", "USD", 25000, ""},
		{"$1,250.00", "USD", 125000, ""},
		{"1,250.00", "USD", 125000, ""},
		{"1,250", "USD", 125000, ""},
		{" 250 ", "USD", 25000, ""},
		{"\u00a0250.00\t", "USD", 25000, ""},
		{"$ 250", "USD", 25000, ""},
		{"$1,234,567.89", "USD", 123456789, ""},
		{"0.01", "USD", 1, ""},
		{"007.50", "USD", 750, ""},
		{"1000000000000.00", "USD", 100000000000000, ""},
		{"$50", "CAD", 5000, ""}, // every dollar writes $
		{"€50", "EUR", 5000, ""},
		{"€ 1,250.5", "EUR", 125050, ""},
		{"£40", "GBP", 4000, ""},
		{"¥5,000", "JPY", 5000, ""},
		{"5000", "JPY", 5000, ""},
		{"12,000", "JPY", 12000, ""},
		{"¥88", "CNY", 8800, ""},
		{"1.250", "KWD", 1250, ""},
		{"1,250.000", "KWD", 1250000, ""},
		{"15", "KWD", 15000, ""},
		{"0.001", "KWD", 1, ""},
		{"1,250,000", "KWD", 1250000000, ""},
	}
	const (
		what     = "must be an amount such as 250.00 or 1,250.00"
		twoWays  = "reads two ways"
		decimals = "more, even zeros, reads two ways"
	)
	refused := []form{
		{"1,50", "USD", 0, twoWays},
		{"1.250,00", "USD", 0, twoWays},
		{"1 250,00", "USD", 0, twoWays},
		{"1 250", "USD", 0, twoWays},
		{"12,34,567.00", "USD", 0, twoWays}, // grouped by three only
		{"1,2345.00", "USD", 0, twoWays},
		{"0,250", "USD", 0, twoWays},
		{",250", "USD", 0, twoWays},
		{"1,250.", "USD", 0, twoWays},
		{"1$50", "USD", 0, what},
		{"250$", "USD", 0, what},
		{"$$250", "USD", 0, what},
		{"1.250", "USD", 0, "with at most 2 decimals for USD: " + decimals},
		{"250.000", "USD", 0, decimals},
		{"250.001", "USD", 0, decimals},
		{"0.005", "USD", 0, decimals},
		{"1e3", "USD", 0, what + ", written out without an exponent"},
		{"2.5e2", "USD", 0, "without an exponent"},
		{"1E2", "USD", 0, "without an exponent"},
		{"12345e-2", "USD", 0, "without an exponent"},
		{"1e999999999", "USD", 0, "without an exponent"},
		{"$1e3", "USD", 0, "without an exponent"},
		{"+250", "USD", 0, what + ", without a sign"},
		{"-250.00", "USD", 0, "must be greater than 0"},
		{"-0", "USD", 0, "must be greater than 0"},
		{"$-5", "USD", 0, "must be greater than 0"},
		{"", "USD", 0, what},
		{"   ", "USD", 0, what},
		{"$", "USD", 0, what},
		{"0", "USD", 0, "must be greater than 0"},
		{"0.00", "USD", 0, "must be greater than 0"},
		{"$0", "USD", 0, "must be greater than 0"},
		{"1000000000000.01", "USD", 0, "is too large"},
		{"99999999999999999999", "USD", 0, "is too large"},
		{"250.", "USD", 0, what},
		{".5", "USD", 0, what},
		{".", "USD", 0, what},
		{"abc", "USD", 0, what},
		{"250.00 USD", "USD", 0, what},
		{"USD 250", "USD", 0, what},
		{"1.2.3", "USD", 0, what},
		{"true", "USD", 0, what},
		{"1/3", "USD", 0, what},
		{"0x10", "USD", 0, what},
		{"١٢٣", "USD", 0, what}, // digits of another script
		{"€50", "USD", 0, "starts with €, which is not a sign of USD"},
		{"£40", "EUR", 0, "starts with £, which is not a sign of EUR"},
		{"¥5000", "USD", 0, "not a sign of USD"},
		{"$5000", "JPY", 0, "not a sign of JPY"},
		{"$15", "KWD", 0, "not a sign of KWD"},
		{"250.5", "JPY", 0, "must be an amount such as 250 or 1,250, with no decimals for JPY: " + decimals},
		{"5000.00", "JPY", 0, decimals},
		{"5.000", "JPY", 0, decimals},
		{"5,00", "JPY", 0, twoWays},
		{"2.5e3", "JPY", 0, "must be an amount such as 250 or 1,250, written out without an exponent"},
		{"-5000", "JPY", 0, "must be greater than 0"},
		{"0", "JPY", 0, "must be greater than 0"},
		{"1.2500", "KWD", 0, "must be an amount such as 250.000 or 1,250.000, with at most 3 decimals for KWD: " + decimals},
		{"1.250,000", "KWD", 0, twoWays},
		{"1e-3", "KWD", 0, "without an exponent"},
		{"0.000", "KWD", 0, "must be greater than 0"},
		{"100000000000.001", "KWD", 0, "is too large"},
	}
	for _, tc := range append(accepted, refused...) {
		t.Run(string(tc.amount)+" "+tc.currency, func(t *testing.T) {
			m, err := tc.amount.Parse(tc.currency)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Parse = %+v, %v, want an error saying %q", m, err, tc.err)
				}
				return
			}
			if err != nil || m != (referral.Money{Minor: tc.minor, Currency: tc.currency}) {
				t.Fatalf("Parse = %+v, %v, want %d %s", m, err, tc.minor, tc.currency)
			}
		})
	}
}

// An amount keeps the literal text of a JSON number, so no float ever touches money.
func TestAmountUnmarshalJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		json string
		want referral.Amount
	}{
		{`"250.00"`, "250.00"},
		{`250.5`, "250.5"},
		{`250`, "250"},
		{` 0.1 `, "0.1"},
		{`1e3`, "1e3"},
		{`null`, ""},
		{`""`, ""},
		{`true`, "true"},
		{`{"x":1}`, `{"x":1}`},
	} {
		t.Run(tc.json, func(t *testing.T) {
			var a referral.Amount
			if err := json.Unmarshal([]byte(tc.json), &a); err != nil {
				t.Fatal(err)
			}
			if a != tc.want {
				t.Errorf("amount = %q, want %q", a, tc.want)
			}
		})
	}
	// 0.1 + 0.2 style values stay exact.
	var ev struct{ Amount referral.Amount }
	if err := json.Unmarshal([]byte(`{"Amount": 19.99}`), &ev); err != nil {
		t.Fatal(err)
	}
	if m, err := ev.Amount.Parse("USD"); err != nil || m.Minor != 1999 {
		t.Errorf("19.99 = %+v, %v, want 1999 cents", m, err)
	}
}

func TestMoneyString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		money referral.Money
		want  string
	}{
		{referral.Money{Minor: 25000, Currency: "USD"}, "250.00"},
		{referral.Money{Minor: 5, Currency: "USD"}, "0.05"},
		{referral.Money{Minor: 0, Currency: "USD"}, "0.00"},
		{referral.Money{Minor: -1999, Currency: "EUR"}, "-19.99"},
		{referral.Money{Minor: 12000, Currency: "JPY"}, "12000"},
		{referral.Money{Minor: 1234, Currency: "KWD"}, "1.234"},
		{referral.Money{Minor: 100000000000000, Currency: "USD"}, "1000000000000.00"},
	} {
		t.Run(tc.want+" "+tc.money.Currency, func(t *testing.T) {
			if got := tc.money.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseCurrency(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want string // "" when refused
	}{
		{"USD", "USD"},
		{"usd", "USD"},
		{" eur ", "EUR"},
		{"JPY", "JPY"},
		{"GBP", "GBP"},
		{"", ""},
		{"US", ""},
		{"DOLLAR", ""},
		{"ABC", ""},
		{"XXX", ""}, // "no currency"
		{"XTS", ""}, // reserved for tests
		{"$", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := referral.ParseCurrency(tc.in)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("ParseCurrency(%q) = %q, %v, want %q", tc.in, got, ok, tc.want)
			}
		})
	}
}

func TestParsePaidAt(t *testing.T) {
	t.Parallel()
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// now is 10:00 in New York on 2026-11-23; dates relative to it, parsed, never the real now.
	now := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time // zero when refused
	}{
		{"2026-11-23T14:05:00Z", time.Date(2026, 11, 23, 14, 5, 0, 0, time.UTC)},
		{"2026-11-23T09:05:00-05:00", time.Date(2026, 11, 23, 14, 5, 0, 0, time.UTC)},
		{" 2026-11-23T14:05:00.123456789Z ", time.Date(2026, 11, 23, 14, 5, 0, 123456000, time.UTC)},
		{"2026-11-23", now}, // today: the day is not over, so now
		{"2026-11-22", time.Date(2026, 11, 23, 4, 59, 59, 999999000, time.UTC)}, // the day's end in New York, winter
		{"2026-06-01", time.Date(2026, 6, 2, 3, 59, 59, 999999000, time.UTC)},   // summer
		{"2026-12-25", now}, // a day to come is no later than now
		{"2026-11-23 14:05:00", time.Time{}},
		{"11/23/2026", time.Time{}},
		{"yesterday", time.Time{}},
		{"2026-02-30", time.Time{}},
		{"", time.Time{}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := referral.ParsePaidAt(tc.in, newYork, now)
			if tc.want.IsZero() {
				if err == nil {
					t.Errorf("ParsePaidAt(%q) = %v, want an error", tc.in, got)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("ParsePaidAt(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
			}
		})
	}
}
