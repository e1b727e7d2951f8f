package referral_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func TestClaimReferral(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	a := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")

	for _, tc := range []struct {
		name       string
		in         referral.NewReferral
		wantEmail  string
		wantSource string
	}{
		{"by code", referral.NewReferral{ReferralCode: a.Code, FriendName: "Fran Fields",
			FriendEmail: "fran@example.com", Source: referral.SourceLink}, "fran@example.com", referral.SourceLink},
		{"by code in lower case, email trimmed and lower-cased", referral.NewReferral{ReferralCode: " " + strings.ToLower(a.Code) + " ",
			FriendName: "Gus Gray", FriendEmail: "  Gus.Gray@Example.COM "}, "gus.gray@example.com", referral.SourceAPI},
		{"by advocate id", referral.NewReferral{AdvocateID: a.ID, FriendName: "Hal Hill",
			FriendEmail: "hal@example.com", Source: referral.SourceManual}, "hal@example.com", referral.SourceManual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Add(time.Second)
			r, created, err := s.ClaimReferral(t.Context(), p, tc.in)
			if err != nil || !created {
				t.Fatalf("ClaimReferral = %v, %v, want created", created, err)
			}
			if r.FriendEmail != tc.wantEmail || r.Source != tc.wantSource || r.AdvocateID != a.ID ||
				r.AdvocateName != a.Name || r.Code != a.Code || r.Status != referral.Pending ||
				r.FriendName != tc.in.FriendName || !r.ClaimedAt.Equal(c.Now()) || r.ConvertedAt != nil {
				t.Errorf("referral = %+v", r)
			}
			listed := mustReferrals(t, s, p, referral.ReferralFilter{FriendEmail: strings.ToUpper(tc.wantEmail)})
			if len(listed) != 1 || listed[0].ID != r.ID {
				t.Errorf("listed by email = %+v, want %s", listed, r.ID)
			}
		})
	}

	events := mustEvents(t, s, p, referral.ReferralCreated)
	if len(events) != 3 {
		t.Fatalf("%d referral.created events, want 3", len(events))
	}
	var data referral.Referral
	if err := json.Unmarshal(events[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.FriendEmail != "hal@example.com" || data.AdvocateID != a.ID || data.AdvocateName != "Jane Park" {
		t.Errorf("newest referral.created data = %s", events[0].Data)
	}
}

// One referral per friend email: the first claim wins.
func TestClaimReferralFirstClaimWins(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	ann := mustAdvocate(t, s, p, "Ann Lee", "ann@example.com")
	first := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")

	t.Run("same claim again returns the existing referral", func(t *testing.T) {
		for _, in := range []referral.NewReferral{
			{ReferralCode: jane.Code, FriendName: "Fran Fields", FriendEmail: "fran@example.com"},
			{AdvocateID: jane.ID, FriendName: "Frances Fields", FriendEmail: " FRAN@example.com "},
		} {
			r, created, err := s.ClaimReferral(t.Context(), p, in)
			if err != nil || created || r.ID != first.ID || r.FriendName != "Fran Fields" {
				t.Errorf("ClaimReferral(%+v) = %+v, %v, %v, want the first referral", in, r, created, err)
			}
		}
	})
	t.Run("claim for another advocate is already-referred", func(t *testing.T) {
		_, _, err := s.ClaimReferral(t.Context(), p, referral.NewReferral{ReferralCode: ann.Code,
			FriendName: "Fran Fields", FriendEmail: "Fran@Example.com"})
		wantError(t, err, referral.EAlreadyReferred)
	})

	list := mustReferrals(t, s, p, referral.ReferralFilter{})
	if len(list) != 1 || list[0].AdvocateID != jane.ID {
		t.Errorf("referrals = %+v, want only Jane's", list)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.AdvocateCreated, referral.ReferralCreated)
}

// Every refused claim names its reason, and writes nothing.
func TestClaimReferralRefusals(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	ann := mustAdvocate(t, s, p, "Ann Lee", "ann@example.com")
	gone := mustAdvocate(t, s, p, "Gone Away", "gone@example.com")
	disabled := referral.Disabled
	if _, err := s.UpdateAdvocate(t.Context(), p, gone.ID, referral.AdvocateChange{Status: &disabled}); err != nil {
		t.Fatal(err)
	}
	mustReferral(t, s, p, jane, "Cora Cole", "cora@example.com")
	mustConvert(t, s, p, pay("INV-CORA", "cora@example.com"))
	before := len(mustEvents(t, s, p, ""))

	for _, tc := range []struct {
		name   string
		in     referral.NewReferral
		code   string
		fields []string
	}{
		{"self-referral", referral.NewReferral{ReferralCode: jane.Code, FriendName: "Jane", FriendEmail: "jane@example.com"},
			referral.ESelfReferral, nil},
		{"self-referral, email in other case", referral.NewReferral{AdvocateID: jane.ID, FriendName: "Jane", FriendEmail: " JANE@Example.com"},
			referral.ESelfReferral, nil},
		{"friend is already an advocate", referral.NewReferral{ReferralCode: jane.Code, FriendName: "Ann Lee", FriendEmail: "ANN@example.com"},
			referral.EExistingPatient, nil},
		{"friend is a disabled advocate", referral.NewReferral{ReferralCode: jane.Code, FriendName: "Gone", FriendEmail: "gone@example.com"},
			referral.EExistingPatient, nil},
		{"friend already converted, claim for another advocate", referral.NewReferral{ReferralCode: ann.Code, FriendName: "Cora Cole", FriendEmail: "cora@example.com"},
			referral.EExistingPatient, nil},
		{"disabled advocate by code", referral.NewReferral{ReferralCode: gone.Code, FriendName: "Dee", FriendEmail: "dee@example.com"},
			referral.EAdvocateDisabled, nil},
		{"disabled advocate by id", referral.NewReferral{AdvocateID: gone.ID, FriendName: "Dee", FriendEmail: "dee@example.com"},
			referral.EAdvocateDisabled, nil},
		{"unknown code", referral.NewReferral{ReferralCode: "ZZZZZZZZ", FriendName: "Dee", FriendEmail: "dee@example.com"},
			referral.EInvalid, []string{"referral_code"}},
		{"unknown advocate id", referral.NewReferral{AdvocateID: "adv_nope", FriendName: "Dee", FriendEmail: "dee@example.com"},
			referral.EInvalid, []string{"advocate_id"}},
		{"no advocate named", referral.NewReferral{FriendName: "Dee", FriendEmail: "dee@example.com"},
			referral.EInvalid, []string{"referral_code"}},
		{"no friend email", referral.NewReferral{ReferralCode: jane.Code, FriendName: "Dee"},
			referral.EInvalid, []string{"friend_email"}},
		{"bad friend email", referral.NewReferral{ReferralCode: jane.Code, FriendName: "Dee", FriendEmail: "dee@"},
			referral.EInvalid, []string{"friend_email"}},
		{"no friend name, unknown source", referral.NewReferral{ReferralCode: jane.Code, FriendEmail: "dee@example.com", Source: "fax"},
			referral.EInvalid, []string{"friend_name", "source"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, created, err := s.ClaimReferral(t.Context(), p, tc.in)
			wantError(t, err, tc.code, tc.fields...)
			if r != nil || created {
				t.Errorf("refused claim returned %+v, created %v", r, created)
			}
		})
	}

	if n := len(mustReferrals(t, s, p, referral.ReferralFilter{})); n != 1 {
		t.Errorf("%d referrals, want only Cora's", n)
	}
	if n := len(mustEvents(t, s, p, "")); n != before {
		t.Errorf("%d events after refusals, want %d", n, before)
	}
}

// A converted friend claiming again for the same advocate gets the existing referral back.
func TestClaimReferralAfterConversionSameAdvocate(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	first := mustReferral(t, s, p, jane, "Cora Cole", "cora@example.com")
	mustConvert(t, s, p, pay("INV-1", "cora@example.com"))

	r, created, err := s.ClaimReferral(t.Context(), p, referral.NewReferral{ReferralCode: jane.Code, FriendName: "Cora Cole", FriendEmail: "cora@example.com"})
	if err != nil || created || r.ID != first.ID || r.Status != referral.Converted || r.ConvertedAt == nil {
		t.Errorf("ClaimReferral = %+v, %v, %v, want the converted referral", r, created, err)
	}
}

func TestClaimReferralShowsFriendOffer(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	if r := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com"); r.Offer != nil {
		t.Errorf("offer = %+v, want none when the practice has no friend offer", r.Offer)
	}
	p.Offer = referral.FriendOffer{Description: "$25 off your first visit", WelcomeCode: "WELCOME25"}
	r := mustReferral(t, s, p, jane, "Gus Gray", "gus@example.com")
	if r.Offer == nil || *r.Offer != p.Offer {
		t.Errorf("offer = %+v, want %+v", r.Offer, p.Offer)
	}
}
