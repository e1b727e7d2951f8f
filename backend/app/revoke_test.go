package app_test

import (
	"context"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// A key is not looked up again on every request, but a revoked key records nothing from the
// moment it is revoked: the transaction that would record a payment checks it. The 401 then
// makes the server look the key up afresh, so its lists close too.
func TestRevokedKeyStopsAtOnce(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	ctx := context.Background()
	jane, _, err := s.App.Service.CreateAdvocate(ctx, p.Practice, referral.NewAdvocate{Name: "Jane Park", Email: "jane@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.App.Service.ClaimReferral(ctx, p.Practice, referral.NewReferral{AdvocateID: jane.ID, FriendName: "Fran Fields", FriendEmail: "fran@example.com"}); err != nil {
		t.Fatal(err)
	}
	if res := p.Client.Get("/v1/me"); res.Status != 200 { // the key has worked: it is remembered
		t.Fatalf("GET /v1/me: %d %s", res.Status, res.Body)
	}
	keys, err := s.App.Service.APIKeys(ctx, p.Practice)
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v, %v", keys, err)
	}
	if err := s.App.Service.RevokeAPIKey(ctx, p.Practice, keys[0].ID); err != nil {
		t.Fatal(err)
	}
	res := p.Client.Post("/v1/conversions", map[string]any{"invoice_id": "INV-1", "email": "fran@example.com", "amount": "250.00"})
	if res.Status != 401 || res.Problem(t).Slug() != "unauthorized" {
		t.Errorf("a conversion with the revoked key: %d %s", res.Status, res.Body)
	}
	if res := p.Client.Get("/v1/conversions"); res.Status != 401 {
		t.Errorf("listing with the revoked key after its 401: %d", res.Status)
	}
	if n := len(selectAll(t, s.App.DB.SQL(), "conversions")); n != 0 {
		t.Errorf("%d conversions recorded with a revoked key", n)
	}
}
