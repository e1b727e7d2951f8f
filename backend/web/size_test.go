package web_test

import (
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// pageBudget bounds what a hosted page, with everything it loads from us, sends a phone.
const pageBudget = 32 << 10

// TestTransferSizes measures each hosted page with everything it loads from this server:
// the HTML with its inline CSS and JS, and the QR image of an advocate's link on their page.
// The logo, when a practice has one, is the practice's own file and not counted.
func TestTransferSizes(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", glowSettings)
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")

	widget := s.get(t, "/widget.js")
	t.Logf("%-30s %5d bytes, %5d gzipped", "GET /widget.js", len(widget.Body), gzipSize(t, []byte(widget.Body)))

	// Jane's page lists a reward, as most advocates' pages will.
	s.postForm(t, "/r/"+jane.Code, person("Fran Fields", "fran@example.com"))
	if _, err := s.Service.RecordConversion(t.Context(), p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@example.com", Amount: "120"}); err != nil {
		t.Fatal(err)
	}
	session := s.mustSignIn(t, p, "jane@example.com")
	for _, tc := range []struct {
		name  string
		parts []*response
	}{
		{"GET /p/{slug}", []*response{s.get(t, "/p/"+p.Slug)}},
		{"POST /p/{slug}", []*response{s.postForm(t, "/p/"+p.Slug, person("Kim Lee", "kim@example.com"))}},
		{"GET /p/{slug}/me with its QR", []*response{s.get(t, "/p/"+p.Slug+"/me", "Cookie", session), s.get(t, "/r/"+jane.Code+"/qr.svg")}},
		{"GET /p/{slug}/me signed out", []*response{s.get(t, "/p/"+p.Slug+"/me")}},
		{"GET /r/{code}", []*response{s.get(t, "/r/"+jane.Code)}},
		{"POST /r/{code}", []*response{s.postForm(t, "/r/"+jane.Code, person("Fran Fields", "fran@example.com"))}},
		{"GET /p/{slug}/qr.svg", []*response{s.get(t, "/p/"+p.Slug+"/qr.svg")}},
	} {
		total, zipped := 0, 0
		for _, r := range tc.parts {
			if r.Status != 200 {
				t.Fatalf("%s: a part answered %d", tc.name, r.Status)
			}
			total += len(r.Body)
			zipped += gzipSize(t, []byte(r.Body))
		}
		t.Logf("%-30s %5d bytes, %5d if gzipped", tc.name, total, zipped)
		if total > pageBudget {
			t.Errorf("%s sends %d bytes, over %d", tc.name, total, pageBudget)
		}
	}
}
