package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The admin changes the time zone any time, and the currency until the first reward.
func TestSettingsChangeTimeZoneAndCurrencyUntilARewardExists(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	b := p.Admin
	want(t, b.get("/app/settings"), http.StatusOK, `<option selected>USD</option>`, `list="time-zones"`, `value="America/New_York"`)
	wantRedirect(t, b.post("/app/settings/region", url.Values{"currency": {"JPY"}, "time_zone": {"Asia/Tokyo"}}), "/app/settings?done=saved")
	cur := mustOnlyPractice(t, s)
	if cur.Currency != "JPY" || cur.TimeZone != "Asia/Tokyo" || cur.Reward.Amount.Currency != "JPY" ||
		cur.Reward.Amount.String() != "5000" || cur.Reward.Minimum.Currency != "JPY" {
		t.Fatalf("after the change: %s %s, reward %+v minimum %+v", cur.Currency, cur.TimeZone, cur.Reward.Amount, cur.Reward.Minimum)
	}

	// A bad answer names its field and changes nothing.
	want(t, b.post("/app/settings/region", url.Values{"currency": {"JPY"}, "time_zone": {"Mars/Olympus"}}),
		http.StatusUnprocessableEntity, `id="time_zone-error"`, `value="Mars/Olympus"`)
	want(t, b.post("/app/settings/region", url.Values{"currency": {"XYZ"}, "time_zone": {"Asia/Tokyo"}}),
		http.StatusUnprocessableEntity, `id="currency-error"`)
	if cur := mustOnlyPractice(t, s); cur.Currency != "JPY" || cur.TimeZone != "Asia/Tokyo" {
		t.Fatalf("a refused form changed the practice: %s %s", cur.Currency, cur.TimeZone)
	}

	// Once a reward exists the currency stays, and the page says why; the time zone still moves.
	wantRedirect(t, b.post("/app/settings/region", url.Values{"currency": {"EUR"}, "time_zone": {"Europe/Paris"}}), "/app/settings?done=saved")
	s.mustConversion(t, mustOnlyPractice(t, s), "Jane Avery", "Fran Fields", "INV-1")
	want(t, b.get("/app/settings"), http.StatusOK, `id="currency" type="text" readonly value="EUR"`, "cannot change any more")
	want(t, b.post("/app/settings/region", url.Values{"currency": {"USD"}, "time_zone": {"Europe/Paris"}}),
		http.StatusUnprocessableEntity, `id="currency-error"`, "once a reward exists")
	wantRedirect(t, b.post("/app/settings/region", url.Values{"time_zone": {"Europe/London"}}), "/app/settings?done=saved")
	if cur := mustOnlyPractice(t, s); cur.Currency != "EUR" || cur.TimeZone != "Europe/London" {
		t.Fatalf("after a reward: %s %s, want EUR Europe/London", cur.Currency, cur.TimeZone)
	}
}

func TestSettingsRegionIsForAdminsWithTheirToken(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	desk := s.frontDesk(t, p)
	want(t, desk.post("/app/settings/region", url.Values{"currency": {"EUR"}, "time_zone": {"Europe/Paris"}}), http.StatusForbidden)
	want(t, p.Admin.post("/app/settings/region", url.Values{"currency": {"EUR"}, "time_zone": {"Europe/Paris"}, "csrf": {"forged"}}), http.StatusForbidden)
	if cur := mustOnlyPractice(t, s); cur.Currency != "USD" || cur.TimeZone != "America/New_York" {
		t.Fatalf("a refused form changed the practice: %s %s", cur.Currency, cur.TimeZone)
	}
}

// Revoking a key and rotating the secret go through a page that asks first, which works
// without script; the secret stays hidden until revealed.
func TestSettingsAskBeforeRevokingOrRotatingAndHideTheSecret(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	b := p.Admin
	settings := b.get("/app/settings")
	want(t, settings, http.StatusOK, `type="color"`, "per advocate per calendar year",
		`<details class="secret"><summary>Reveal the webhook secret</summary>`, `href="/app/settings/webhook-secret"`)
	if strings.Contains(settings.Body, `action="/app/settings/webhook-secret"`) || strings.Contains(settings.Body, `/revoke" method`) ||
		strings.Contains(settings.Body, `method="post" action="/app/settings/api-keys/key_`) {
		t.Fatal("settings still revokes or rotates in one click")
	}
	keys, _ := s.Service.APIKeys(context.Background(), p.Practice)
	confirm := b.get("/app/settings/api-keys/" + keys[0].ID + "/revoke")
	want(t, confirm, http.StatusOK, "Revoke API key "+keys[0].Prefix, `action="/app/settings/api-keys/`+keys[0].ID+`/revoke"`, "Cancel")
	if keys, _ := s.Service.APIKeys(context.Background(), p.Practice); keys[0].RevokedAt != nil {
		t.Fatal("opening the confirmation revoked the key")
	}
	wantRedirect(t, b.post("/app/settings/api-keys/"+keys[0].ID+"/revoke", nil), "/app/settings?done=revoked")
	want(t, b.get("/app/settings/api-keys/"+keys[0].ID+"/revoke"), http.StatusNotFound) // revoked already

	want(t, b.get("/app/settings/webhook-secret"), http.StatusOK, "Rotate the webhook secret?", `action="/app/settings/webhook-secret"`)
	if cur := mustOnlyPractice(t, s); cur.WebhookSecret != p.WebhookSecret {
		t.Fatal("opening the confirmation rotated the secret")
	}

	// Another practice's key is not found; the front desk may not ask at all.
	other := s.mustPractice(t, "Other Spa")
	otherKeys, _ := s.Service.APIKeys(context.Background(), other.Practice)
	want(t, b.get("/app/settings/api-keys/"+otherKeys[0].ID+"/revoke"), http.StatusNotFound)
	desk := s.frontDesk(t, other)
	want(t, desk.get("/app/settings/api-keys/"+otherKeys[0].ID+"/revoke"), http.StatusForbidden)
	want(t, desk.get("/app/settings/webhook-secret"), http.StatusForbidden)
}
