package dashboard_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// TestEmptyStatesSayWhatToDo: a new practice's pages say what to do next, with links to where
// it is done, instead of twelve months of zeros.
func TestEmptyStatesSayWhatToDo(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	reports := p.Admin.get("/app/reports")
	want(t, reports, http.StatusOK, "No conversions in the last 12 months", `<a href="/app/settings">Settings</a>`, `<a href="/app/conversions/new">mark a conversion</a>`)
	if strings.Contains(reports.Body, "<svg") || strings.Contains(reports.Body, "<td>0</td>") {
		t.Error("the reports of a practice with no conversions draw a chart or rows of zeros")
	}
	want(t, p.Admin.get("/app"), http.StatusOK, "No conversions yet. When a referred friend pays, it appears here",
		`<a href="/p/`+p.Slug+`">/p/`+p.Slug+`</a>`)

	// Once there is a conversion, the chart shows the twelve months and the table the month
	// that had it, not eleven rows of zeros.
	s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1")
	reports = p.Admin.get("/app/reports")
	want(t, reports, http.StatusOK, "<svg", "<td>1</td><td>$250</td>")
	if strings.Contains(reports.Body, "<td>0</td>") {
		t.Error("the months table lists months without conversions")
	}
}

// TestPendingReferralsAreRadioChoices: each pending referral on "Mark a conversion" is a radio
// button in a row with its label, which the stylesheet draws beside it.
func TestPendingReferralsAreRadioChoices(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	ctx := context.Background()
	a, _, err := s.Service.CreateAdvocate(ctx, p.Practice, referral.NewAdvocate{Name: "Jane Adams", Email: "jane@patients.example"})
	if err != nil {
		t.Fatal(err)
	}
	ref, _, err := s.Service.ClaimReferral(ctx, p.Practice, referral.NewReferral{AdvocateID: a.ID, FriendName: "Fran Fischer", FriendEmail: "fran@patients.example"})
	if err != nil {
		t.Fatal(err)
	}
	want(t, p.Admin.get("/app/conversions/new"), http.StatusOK,
		`<div class="choice"><input type="radio" id="ref-`+ref.ID+`"`, `<label for="ref-`+ref.ID+`">`)
}
