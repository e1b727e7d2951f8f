package app_test

import (
	"strings"
	"testing"
)

// TestConversionsByInvoice is what Zapier's Find Conversion asks: GET /v1/conversions with an
// invoice_id finds that invoice's conversion, and nothing for an invoice that converted none.
func TestConversionsByInvoice(t *testing.T) {
	s := mustServe(t)
	pr := mustProgram(t, s, "Glow Aesthetics", "glow.example")

	type conversions struct {
		Data []struct {
			ID        string `json:"id"`
			InvoiceID string `json:"invoice_id"`
			Status    string `json:"status"`
			Reward    struct {
				Code string `json:"code"`
			} `json:"reward"`
		} `json:"data"`
		NextCursor *string `json:"next_cursor"`
	}
	var found conversions
	mustDo(t, pr.Client, "GET", "/v1/conversions?invoice_id=INV-3", nil, 200, &found)
	if len(found.Data) != 1 || found.Data[0].InvoiceID != "INV-3" || found.Data[0].Reward.Code != pr.Voided ||
		found.Data[0].Status != "reversed" || found.NextCursor != nil {
		t.Errorf("conversions of INV-3 = %+v, want its one reversed conversion", found)
	}

	for _, invoice := range []string{"INV-9", "inv-3", "INV-", "%20INV-3"} {
		var none conversions
		mustDo(t, pr.Client, "GET", "/v1/conversions?invoice_id="+invoice, nil, 200, &none)
		if len(none.Data) != 0 {
			t.Errorf("conversions of %q = %+v, want none", invoice, none)
		}
	}

	res := pr.Client.WithoutRequestCheck().For(t).Get("/v1/conversions?invoice_id=" + strings.Repeat("7", 101))
	if p := res.Problem(t); res.Status != 422 || p.Slug() != "validation-failed" || len(p.Errors) != 1 || p.Errors[0].Field != "invoice_id" {
		t.Errorf("a 101-character invoice_id: %d %s, want 422 naming invoice_id", res.Status, res.Body)
	}
}
