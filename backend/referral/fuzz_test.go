package referral_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/currency"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Fuzz targets for the domain's readers of outside input: amounts and currencies, payment and
// refund events, referral and reward codes, list cursors. `go test` replays the seeds in
// testdata/fuzz; `go test -run '^$' -fuzz '^FuzzAmount$'` looks for new ones.

// FuzzAmount: an amount, whatever its text and currency, is read exactly as the reference
// reading below (written without Parse) reads it, or refused when that reads it no way or out
// of range: more than 0, at most the largest amount, with no more decimals than the currency
// has, its String() reading back as the same Money. Currencies read as their ISO code or not
// at all.
func FuzzAmount(f *testing.F) {
	f.Add("250.00", "usd")
	f.Add("¥5,000", "JPY")
	f.Fuzz(func(t *testing.T, amount, currency string) {
		codes := []string{"USD", "JPY", "KWD"} // 2, 0 and 3 decimals
		if code, ok := referral.ParseCurrency(currency); ok {
			checkCurrency(t, code)
			codes = append(codes, code)
		}
		for _, code := range codes {
			checkAmount(t, referral.Amount(amount), code)
		}
		// A JSON string arrives as written, a JSON number as its literal text, and any other JSON
		// value is kept for Parse to refuse: decoding never fails on an amount.
		if utf8.ValidString(amount) {
			var a referral.Amount
			quoted, _ := json.Marshal(amount)
			if err := json.Unmarshal(quoted, &a); err != nil || string(a) != amount {
				t.Fatalf("the JSON string %s reads as %q, %v", quoted, a, err)
			}
		}
		if json.Valid([]byte(amount)) {
			var in struct{ Amount referral.Amount }
			if err := json.Unmarshal([]byte(`{"Amount":`+amount+`}`), &in); err != nil {
				t.Fatalf("the JSON value %s is a decoding error: %v", amount, err)
			}
			if literal := strings.TrimSpace(amount); jsonNumber.MatchString(literal) && string(in.Amount) != literal {
				t.Fatalf("the JSON number %s reads as %q", literal, in.Amount)
			}
		}
	})
}

func checkCurrency(t *testing.T, code string) {
	t.Helper()
	again, ok := referral.ParseCurrency(strings.ToLower(code))
	switch scale := referral.Scale(code); {
	case len(code) != 3 || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
		t.Fatalf("currency %q is not an ISO 4217 code", code)
	case !ok || again != code:
		t.Fatalf("currency %q does not read back as itself: %q, %v", code, again, ok)
	case scale < 0 || scale > 4:
		t.Fatalf("currency %s has %d decimals", code, scale)
	}
}

func checkAmount(t *testing.T, a referral.Amount, code string) {
	t.Helper()
	m, err := a.Parse(code)
	scale := referral.Scale(code)
	minor, readable := asWritten(string(a), code)
	inRange := readable && minor.Sign() > 0 && minor.Cmp(largest) <= 0
	if err != nil {
		if err.Error() == "" {
			t.Fatalf("%q %s is refused without saying why", a, code)
		}
		if inRange {
			t.Fatalf("%q %s is refused (%v), though it reads one way, as %s minor units", a, code, err, minor)
		}
		return
	}
	switch {
	case !readable:
		t.Fatalf("%q %s is read as %+v, though it does not read one way", a, code, m)
	case !inRange || !minor.IsInt64() || minor.Int64() != m.Minor || m.Currency != code:
		t.Fatalf("%q %s reads as %+v, not %s minor units", a, code, m, minor)
	case !moneyText(m.String(), scale):
		t.Fatalf("%+v is written %q, not with %d decimals", m, m.String(), scale)
	}
	if back, err := referral.Amount(m.String()).Parse(code); err != nil || back != m {
		t.Fatalf("%+v is written %q, which reads back as %+v, %v", m, m.String(), back, err)
	}
}

var (
	// largest is the most Parse accepts, in minor units (money.go's maxMinor).
	largest    = big.NewInt(1e14)
	jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
)

// asWritten is the reference reading of an amount, sharing no code with Parse: the amount in
// minor units of code, and whether it reads one way only. Spaces around it and one sign of
// the currency in front go; what is left is ASCII digits, in groups of three after the first
// (1 to 3 digits, not starting with 0) when commas separate them, then a dot and 1 to as many
// decimals as the currency has, if any.
func asWritten(text, code string) (*big.Int, bool) {
	text = strings.TrimSpace(text)
	u, _ := currency.ParseISO(code)
	if sign := fmt.Sprint(currency.NarrowSymbol(u)); slices.Contains([]string{"$", "€", "£", "¥"}, sign) {
		if rest, ok := strings.CutPrefix(text, sign); ok {
			text = strings.TrimLeftFunc(rest, unicode.IsSpace)
		}
	}
	whole, decimals, dot := strings.Cut(text, ".")
	scale := referral.Scale(code)
	if dot && (decimals == "" || len(decimals) > scale || !ascii(decimals)) {
		return nil, false
	}
	if groups := strings.Split(whole, ","); len(groups) > 1 {
		if groups[0] == "" || len(groups[0]) > 3 || strings.HasPrefix(groups[0], "0") {
			return nil, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return nil, false
			}
		}
		whole = strings.Join(groups, "")
	}
	if !ascii(whole) {
		return nil, false
	}
	n, _ := new(big.Int).SetString(whole+decimals+strings.Repeat("0", scale-len(decimals)), 10)
	return n, true
}

// ascii reports whether s is one or more ASCII digits.
func ascii(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// moneyText reports whether s is digits with exactly scale decimals after a dot.
func moneyText(s string, scale int) bool {
	whole, decimals, dot := strings.Cut(s, ".")
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	if scale == 0 {
		return !dot && digits(whole)
	}
	return dot && digits(whole) && digits(decimals) && len(decimals) == scale
}

// FuzzPaymentValidation: Record Conversion's validation lets through only what it can store and
// match: text that is UTF-8 without NUL, an invoice id, an email trimmed and lower-cased, a
// code as the desk types it, an amount read exactly, a time in UTC; it names every field it
// refuses, and validating its own output again changes nothing.
func FuzzPaymentValidation(f *testing.F) {
	p := &referral.Practice{ID: "prc_fuzz", Currency: "USD", TimeZone: "America/New_York"}
	f.Add("INV-1", "", " Fran@Example.COM ", "", "Fran", "Fields", "250.00", "usd", "2026-06-01", " abcd2345 ", "Paid")
	f.Fuzz(func(t *testing.T, invoice, payment, email, name, first, last, amount, currency, paidAt, code, status string) {
		ev := referral.PaymentEvent{InvoiceID: invoice, PaymentID: payment, Email: email, Name: name, FirstName: first,
			LastName: last, Amount: referral.Amount(amount), Currency: currency, PaidAt: paidAt, ReferralCode: code, Status: status}
		pay, err := referral.NormalizePaymentEvent(&ev, p, epoch)
		if err != nil {
			wantFields(t, err, jsonNames(ev))
			return
		}
		wantText(t, ev)
		switch {
		case ev.InvoiceID == "" || ev.InvoiceID != strings.TrimSpace(invoice):
			t.Fatalf("invoice id %q kept as %q", invoice, ev.InvoiceID)
		case ev.Email != referral.NormalizeEmail(email) || ev.Email != strings.ToLower(strings.TrimSpace(ev.Email)):
			t.Fatalf("email %q kept as %q, not trimmed and lower-cased", email, ev.Email)
		case ev.ReferralCode != referral.NormalizeCode(code):
			t.Fatalf("referral code %q kept as %q", code, ev.ReferralCode)
		case pay.InvoiceID != ev.InvoiceID || pay.PaymentID != ev.PaymentID || pay.Amount.Minor <= 0:
			t.Fatalf("payment %+v from event %+v", pay, ev)
		case pay.PaidAt.Location() != time.UTC || paidAt == "" && !pay.PaidAt.Equal(epoch):
			t.Fatalf("paid_at %q kept as %v", paidAt, pay.PaidAt)
		}
		again := ev
		pay2, err := referral.NormalizePaymentEvent(&again, p, epoch)
		if err != nil || again != ev || pay2.Amount != pay.Amount || !pay2.PaidAt.Equal(pay.PaidAt) {
			t.Fatalf("validating %+v again gives %+v, %+v, %v", ev, again, pay2, err)
		}
	})
}

// FuzzRefundValidation: Reverse Conversion stores a refund only with an invoice id and text that
// is UTF-8 without NUL, and names every field it refuses. An amount refunded that is given is
// read by the amount parser or refused, never taken for a full refund, which only no amount
// is. The practice has no payments, so every refund it takes is remembered, not reversed.
func FuzzRefundValidation(f *testing.F) {
	s, _ := mustService(f)
	p := mustPractice(f, s)
	f.Add(" INV-1 ", "", "", true)
	f.Fuzz(func(t *testing.T, invoice, refund, amount string, full bool) {
		var ev referral.RefundEvent
		if !full { // set as decoding sets it, whichever way the event holds an amount
			quoted, _ := json.Marshal(amount)
			if err := json.Unmarshal([]byte(`{"amount_refunded":`+string(quoted)+`}`), &ev); err != nil {
				t.Fatal(err)
			}
		}
		ev.InvoiceID, ev.RefundID = invoice, refund
		res, err := s.ReverseConversion(context.Background(), p, ev)
		if err != nil {
			wantFields(t, err, jsonNames(ev))
			return
		}
		switch {
		case res.InvoiceID == "" || res.InvoiceID != strings.TrimSpace(invoice) || !isText(res.InvoiceID):
			t.Fatalf("invoice id %q kept as %q", invoice, res.InvoiceID)
		case res.RefundID != nil && (*res.RefundID != strings.TrimSpace(refund) || !isText(*res.RefundID)):
			t.Fatalf("refund id %q kept as %q", refund, *res.RefundID)
		case res.Outcome != referral.OutcomeNoConversion || res.Conversion != nil:
			t.Fatalf("a refund of an invoice never paid came to %+v", res)
		}
		if _, err := referral.Amount(amount).Parse(p.Currency); !full && err != nil {
			t.Fatalf("amount_refunded %q was taken, though the parser refuses it: %v", amount, err)
		}
	})
}

// FuzzCodeLookup: codes are case-insensitive and blind to surrounding spaces, normalising is
// idempotent, and a lookup by any text finds only the code that text normalises to (a code of
// the unambiguous alphabet) or nothing, never an error of its own.
func FuzzCodeLookup(f *testing.F) {
	s, _ := mustService(f)
	p := mustPractice(f, s)
	a := mustAdvocate(f, s, p, "Jane Avery", "jane@codes.example")
	mustReferral(f, s, p, a, "Fran Fields", "fran@codes.example")
	reward := mustConvert(f, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@codes.example", Amount: "250.00"}).Reward
	f.Add(strings.ToLower(a.Code), uint16(0xffff), " \t")
	f.Add(" "+reward.Code+"\n", uint16(0), "")
	f.Fuzz(func(t *testing.T, typed string, lower uint16, around string) {
		ctx := context.Background()
		n := referral.NormalizeCode(typed)
		if referral.NormalizeCode(n) != n {
			t.Fatalf("NormalizeCode is not idempotent: %q → %q → %q", typed, n, referral.NormalizeCode(n))
		}
		// The real codes, typed in any case with spaces around, find what they name.
		space := strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return r
			}
			return -1
		}, around)
		asTyped := func(code string) string { return space + lowerSome(code, lower) + space }
		if _, got, err := s.Invitation(ctx, asTyped(a.Code)); err != nil || got.ID != a.ID {
			t.Fatalf("Invitation(%q) = %v, %v, want advocate %s", asTyped(a.Code), got, err, a.ID)
		}
		if got, _, err := s.Rewards(ctx, p, referral.RewardFilter{Code: asTyped(reward.Code)}, referral.Page{}); err != nil || len(got) != 1 || got[0].ID != reward.ID {
			t.Fatalf("Rewards(code %q) = %v, %v, want reward %s", asTyped(reward.Code), got, err, reward.ID)
		}
		// Any text finds only what it normalises to, or nothing.
		if _, got, err := s.Invitation(ctx, typed); err == nil {
			if got.Code != n || !referralCode.MatchString(got.Code) {
				t.Fatalf("Invitation(%q) found the advocate with code %q", typed, got.Code)
			}
		} else if c := referral.ErrorCode(err); c != referral.ENotFound && c != referral.EInvalid {
			t.Fatalf("Invitation(%q): %v", typed, err)
		}
		if n == "" {
			return // an empty filter lists everything
		}
		advocates, _, err := s.Advocates(ctx, p, referral.AdvocateFilter{Code: typed}, referral.Page{})
		lookedUp(t, typed, err)
		for _, got := range advocates {
			if got.Code != n || !referralCode.MatchString(got.Code) {
				t.Fatalf("Advocates(code %q) lists the code %q", typed, got.Code)
			}
		}
		rewards, _, err := s.Rewards(ctx, p, referral.RewardFilter{Code: typed}, referral.Page{})
		lookedUp(t, typed, err)
		for _, got := range rewards {
			if got.Code != n || !rewardCode.MatchString(got.Code) {
				t.Fatalf("Rewards(code %q) lists the code %q", typed, got.Code)
			}
		}
		if n != reward.Code {
			if _, err := s.RedeemReward(ctx, p, typed); err == nil || referral.ErrorCode(err) != referral.ENotFound && referral.ErrorCode(err) != referral.EInvalid {
				t.Fatalf("RedeemReward(%q) = %v, want not found", typed, err)
			}
		}
	})
}

// lowerSome lower-cases the letters of code whose bit is set in mask.
func lowerSome(code string, mask uint16) string {
	b := []byte(code)
	for i := range b {
		if mask&(1<<(i%16)) != 0 {
			b[i] = byte(unicode.ToLower(rune(b[i])))
		}
	}
	return string(b)
}

// lookedUp fails unless a lookup by code succeeded or refused the code as invalid.
func lookedUp(t *testing.T, typed string, err error) {
	t.Helper()
	if err != nil && !named(err, "code") {
		t.Fatalf("looking up the code %q: %v", typed, err)
	}
}

// FuzzPage: a list answers a page only for a cursor that is one of its own ids (or none) and a
// limit from 1 to 100 (0 means the default); anything else is refused naming the field, so
// garbage never reads as a place in the list. A page holds only items after its cursor.
func FuzzPage(f *testing.F) {
	s, clock := mustService(f)
	p := mustPractice(f, s)
	for _, name := range []string{"ann", "bea", "cai"} {
		mustAdvocate(f, s, p, name, name+"@pages.example")
		clock.Add(time.Millisecond)
	}
	ctx := context.Background()
	_, next, err := s.Advocates(ctx, p, referral.AdvocateFilter{}, referral.Page{Limit: 1})
	if err != nil || next == "" {
		f.Fatalf("first page: next %q, %v", next, err)
	}
	if _, _, err := s.Advocates(ctx, p, referral.AdvocateFilter{}, referral.Page{Limit: 1, Cursor: next}); err != nil {
		f.Fatalf("a real cursor %q is refused: %v", next, err)
	}
	f.Add(next, 1)
	f.Add(strings.ToLower(next), 0)
	f.Fuzz(func(t *testing.T, cursor string, limit int) {
		list, next, err := s.Advocates(ctx, p, referral.AdvocateFilter{}, referral.Page{Limit: limit, Cursor: cursor})
		goodLimit := limit >= 0 && limit <= referral.MaxPageSize
		if err != nil {
			wantFields(t, err, map[string]bool{"limit": true, "cursor": true})
			if goodLimit && !named(err, "cursor") {
				t.Fatalf("limit %d and cursor %q refused, not naming the cursor: %v", limit, cursor, err)
			}
			return
		}
		size := limit
		if size == 0 {
			size = referral.DefaultPageSize
		}
		switch {
		case !goodLimit:
			t.Fatalf("limit %d taken", limit)
		case cursor != "" && !advocateID.MatchString(cursor):
			t.Fatalf("the cursor %q reads as a place in the list of advocates", cursor)
		case len(list) > size:
			t.Fatalf("limit %d answered %d items", limit, len(list))
		case next != "" && next != list[len(list)-1].ID:
			t.Fatalf("next cursor %q is not the last item listed", next)
		}
		for _, a := range list {
			if cursor != "" && a.ID >= cursor {
				t.Fatalf("the page after %q lists %s", cursor, a.ID)
			}
		}
	})
}

// advocateID is what an advocate's id looks like: adv_ and a ULID (Crockford base 32, upper
// case, its first character at most 7).
var advocateID = regexp.MustCompile(`^adv_[0-7][0-9A-HJKMNP-TV-Z]{25}$`)

// wantFields fails unless err is a validation problem naming fields, each one of names.
func wantFields(t *testing.T, err error, names map[string]bool) {
	t.Helper()
	var e *referral.Error
	if !errors.As(err, &e) || e.Code != referral.EInvalid || len(e.Fields) == 0 {
		t.Fatalf("error %v is not a validation problem naming fields", err)
	}
	for _, field := range e.Fields {
		if !names[field.Field] {
			t.Fatalf("error %v names %q, which is not an input field", err, field.Field)
		}
	}
}

// named reports whether err is a validation problem naming field.
func named(err error, field string) bool {
	var e *referral.Error
	if !errors.As(err, &e) || e.Code != referral.EInvalid {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// jsonNames are the JSON names of an input struct's fields.
func jsonNames(input any) map[string]bool {
	names := map[string]bool{}
	typ := reflect.TypeOf(input)
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		names[name] = true
	}
	return names
}

// wantText fails when a text field of a struct holds a NUL or bytes that are not UTF-8, which
// no name, email or id holds and PostgreSQL cannot store.
func wantText(t *testing.T, input any) {
	t.Helper()
	v := reflect.ValueOf(input)
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String && !isText(f.String()) {
			t.Fatalf("%s %q let through", v.Type().Field(i).Name, f.String())
		}
	}
}

func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
