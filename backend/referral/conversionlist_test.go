package referral_test

import (
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// TestConversionsByInvoice is Zapier's Find Conversion: the invoice id matches exactly, within
// the practice, and combines with the other filters.
func TestConversionsByInvoice(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p, other := mustPractice(t, s), mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	mustReferral(t, s, p, jane, "Gus Gray", "gus@example.com")
	fran := mustConvert(t, s, p, pay("INV-7", "fran@example.com"))
	mustConvert(t, s, p, pay("INV-70", "gus@example.com"))
	// Another practice's invoice of the same number is not this practice's.
	kim := mustAdvocate(t, s, other, "Kim Kerr", "kim@example.com")
	mustReferral(t, s, other, kim, "Fran Fields", "fran@example.com")
	mustConvert(t, s, other, pay("INV-7", "fran@example.com"))

	list := func(f referral.ConversionFilter) []string {
		t.Helper()
		got, _, err := s.Conversions(t.Context(), p, f, referral.Page{Limit: referral.MaxPageSize})
		if err != nil {
			t.Fatalf("Conversions(%+v): %v", f, err)
		}
		var ids []string
		for _, c := range got {
			ids = append(ids, c.ID)
		}
		return ids
	}
	for _, tc := range []struct {
		name string
		f    referral.ConversionFilter
		want []string
	}{
		{"the invoice", referral.ConversionFilter{InvoiceID: "INV-7"}, []string{fran.ID}},
		{"no prefix match", referral.ConversionFilter{InvoiceID: "INV"}, nil},
		{"no case folding", referral.ConversionFilter{InvoiceID: "inv-7"}, nil},
		{"an invoice that converted nothing", referral.ConversionFilter{InvoiceID: "INV-8"}, nil},
		{"with its status", referral.ConversionFilter{InvoiceID: "INV-7", Status: referral.Rewarded}, []string{fran.ID}},
		{"with another advocate", referral.ConversionFilter{InvoiceID: "INV-7", AdvocateID: kim.ID}, nil},
	} {
		if got := list(tc.f); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: conversions %q, want %q", tc.name, got, tc.want)
		}
	}

	for _, bad := range []string{strings.Repeat("9", 101), "INV-\x00", "INV-\xff"} {
		_, _, err := s.Conversions(t.Context(), p, referral.ConversionFilter{InvoiceID: bad}, referral.Page{Limit: 10})
		wantError(t, err, referral.EInvalid, "invoice_id")
	}
}
