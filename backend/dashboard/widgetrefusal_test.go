package dashboard_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestSettingsShowTheLastRefusedSite: the widget section of Settings names the last site the
// widget was refused on, with its time in the practice's zone, to the practice's admin only.
func TestSettingsShowTheLastRefusedSite(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	other := s.mustPractice(t, "Other Spa")
	want(t, p.Admin.get("/app/settings"), http.StatusOK, `<p class="muted" id="widget-refusal">No site has been refused the widget.</p>`)

	if err := s.Service.RefuseWidgetOrigin(context.Background(), p.Practice, "https://www.glow.example"); err != nil {
		t.Fatal(err)
	}
	at := s.now().In(p.Location()).Format("Jan 2, 2006 15:04 MST")
	want(t, p.Admin.get("/app/settings"), http.StatusOK,
		`Last refused: a page on <strong>https://www.glow.example</strong> asked for the widget on `+at+` and was refused.`)
	if page := other.Admin.get("/app/settings"); strings.Contains(page.Body, "www.glow.example") {
		t.Error("another practice sees the refused site")
	}
}
