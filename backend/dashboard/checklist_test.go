package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// mustSetUp runs the first run at /setup and answers the signed-in admin's browser.
func mustSetUp(tb testing.TB, s *site) *browser {
	tb.Helper()
	token := mustFirstRunToken(tb, s)
	b := s.browser(tb)
	b.get("/setup?token=" + token)
	wantRedirect(tb, b.post("/setup", setupForm(token)), "/app")
	b.get("/app")
	return b
}

// stepState is the state the home page's checklist shows for a step, "" when it shows none.
func stepState(body, heading string) string {
	i := strings.Index(body, heading)
	if i < 0 {
		return ""
	}
	item := body[strings.LastIndex(body[:i], "<li>"):i]
	for _, state := range []string{"Done", "Dismissed", "To do"} {
		if strings.Contains(item, ">"+state+"<") {
			return state
		}
	}
	return ""
}

// Each step ticks itself off when the data says it is done, or when the admin dismisses it;
// the checklist goes once nothing is left.
func TestChecklistFollowsTheDataUntilDone(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	b := mustSetUp(t, s)
	steps := map[string]string{"api": "Create the API key", "ar": "Connect Aesthetic Record through Zapier",
		"widget": "Add the widget", "email": "Set up email"}
	wantStates := func(states map[string]string) {
		t.Helper()
		home := b.get("/app")
		want(t, home, http.StatusOK)
		for k, state := range states {
			if got := stepState(home.Body, steps[k]); got != state {
				t.Fatalf("step %s shows %q, want %q; page:\n%s", k, got, state, home.Body)
			}
		}
	}
	wantStates(map[string]string{"api": "To do", "ar": "To do", "widget": "To do", "email": "To do"})
	home := b.get("/app")
	want(t, home, http.StatusOK, "4 of 4 steps left", "New Invoice Payment", "Record Conversion", "Aesthetic Record EMR",
		"ADVOCATELOOP_SMTP_URL", "/widget.js", "qr.svg")

	// A key made from the checklist is shown once, on the page that made it.
	want(t, b.post("/app/settings/api-keys", nil), http.StatusOK, "shown only once")
	p := mustOnlyPractice(t, s)
	wantStates(map[string]string{"api": "Done", "ar": "To do"})

	// A payment marked by hand is not Zapier connected; one through the API is, even one
	// that matched no referral.
	ctx := context.Background()
	a, _, err := s.Service.CreateAdvocate(ctx, p, referral.NewAdvocate{Name: "Jane Avery", Email: "jane@patients.example"})
	if err != nil {
		t.Fatal(err)
	}
	ref, _, err := s.Service.ClaimReferral(ctx, p, referral.NewReferral{AdvocateID: a.ID, FriendName: "Fran Fields", FriendEmail: "fran@patients.example"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Service.ConvertManually(ctx, p, referral.ManualConversion{ReferralID: ref.ID, InvoiceID: "INV-0", Amount: "100"}); err != nil {
		t.Fatal(err)
	}
	wantStates(map[string]string{"ar": "To do"})
	if _, err := s.Service.RecordConversion(ctx, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "nobody@patients.example", Amount: "100"}); err != nil {
		t.Fatal(err)
	}
	wantStates(map[string]string{"ar": "Done", "widget": "To do"})

	in := referral.PracticeSettings{AllowedOrigins: []string{"https://glow.example"}, BookingURL: p.BookingURL, FriendOffer: p.Offer}
	if _, err := s.Service.UpdateSettings(ctx, p, in); err != nil {
		t.Fatal(err)
	}
	wantStates(map[string]string{"widget": "Done", "email": "To do"})

	wantRedirect(t, b.post("/app/checklist/email/dismiss", nil), "/app")
	if home := b.get("/app"); strings.Contains(home.Body, "Get your referral program live") {
		t.Fatalf("the checklist stays with every step done or dismissed:\n%s", home.Body)
	}
}

func TestChecklistIsTheAdminsAndKeepsToItsPractice(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	admin := mustSetUp(t, s)
	p := &practice{Practice: mustOnlyPractice(t, s), Admin: admin, Email: "owner@glow.example"}
	desk := s.frontDesk(t, p)
	if home := desk.get("/app"); strings.Contains(home.Body, "Get your referral program live") {
		t.Fatal("the front desk sees the admin's checklist")
	}
	want(t, desk.post("/app/checklist/email/dismiss", nil), http.StatusForbidden)
	want(t, admin.post("/app/checklist/email/dismiss", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	want(t, admin.post("/app/checklist/no-such-step/dismiss", nil), http.StatusNotFound)
	if got := stepState(admin.get("/app").Body, "Set up email"); got != "To do" {
		t.Fatalf("refused dismissals changed the step: %q", got)
	}

	// Another practice's dismissal is its own.
	other := s.mustPractice(t, "Other Spa")
	wantRedirect(t, other.Admin.post("/app/checklist/email/dismiss", nil), "/app")
	want(t, other.Admin.get("/app"), http.StatusOK, ">Dismissed<")
	if got := stepState(admin.get("/app").Body, "Set up email"); got != "To do" {
		t.Fatalf("another practice's dismissal reached this one: %q", got)
	}
}
