package referral_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func TestAmountParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		amount   referral.Amount
		currency string
		minor    int64
		err      string // "" when valid
	}{
		{"250.00", "USD", 25000, ""},
		{"250", "USD", 25000, ""},
		{"250.5", "USD", 25050, ""},
		{"250.", "USD", 25000, ""},
		{".5", "USD", 50, ""},
		{"0.01", "USD", 1, ""},
		{"+250", "USD", 25000, ""},
		{" 250.00 ", "USD", 25000, ""},
		{"250.000", "USD", 25000, ""},
		{"007.50", "USD", 750, ""},
		{"12000", "JPY", 12000, ""},
		{"12000.00", "JPY", 12000, ""},
		{"1.234", "KWD", 1234, ""},
		{"1000000000000.00", "USD", 100000000000000, ""},
		{"2.5e2", "USD", 25000, ""},
		{"1E2", "USD", 10000, ""},
		{"12345e-2", "USD", 12345, ""},

		{"", "USD", 0, "must be a number such as 250.00"},
		{".", "USD", 0, "must be a number such as 250.00"},
		{"abc", "USD", 0, "must be a number such as 250.00"},
		{"$250", "USD", 0, "must be a number such as 250.00"},
		{"1,250.00", "USD", 0, "must be a number such as 250.00"},
		{"250.00 USD", "USD", 0, "must be a number such as 250.00"},
		{"1.2.3", "USD", 0, "must be a number such as 250.00"},
		{"true", "USD", 0, "must be a number such as 250.00"},
		{"0", "USD", 0, "must be greater than 0"},
		{"0.00", "USD", 0, "must be greater than 0"},
		{"-0", "USD", 0, "must be greater than 0"},
		{"-250.00", "USD", 0, "must be greater than 0"},
		{"250.001", "USD", 0, "has more decimal places than USD allows"},
		{"0.001", "USD", 0, "has more decimal places than USD allows"},
		{"250.5", "JPY", 0, "has more decimal places than JPY allows"},
		{"1000000000000.01", "USD", 0, "is too large"},
		{"99999999999999999999", "USD", 0, "is too large"},
		{"1e-3", "USD", 0, "has more decimal places than USD allows"},
		{"1e999999999", "USD", 0, "must be a number such as 250.00"},
		{"1/3", "USD", 0, "must be a number such as 250.00"},
		{"0x10", "USD", 0, "must be a number such as 250.00"},
	} {
		t.Run(string(tc.amount)+" "+tc.currency, func(t *testing.T) {
			m, err := tc.amount.Parse(tc.currency)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("Parse = %+v, %v, want error %q", m, err, tc.err)
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
