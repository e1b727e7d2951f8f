package referral_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Each change writes exactly one outbox event of its type, with a snapshot frozen at that
// moment; replays, refusals and outcomes that change nothing write none.
func TestEventsOnePerChange(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	var jane *referral.Advocate
	var code string

	for _, step := range []struct {
		name string
		do   func(t *testing.T) error
		want string // the new event's type, or "" for none
	}{
		{"create advocate", func(t *testing.T) (err error) {
			jane, _, err = s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "Jane Park", Email: "jane@example.com"})
			return err
		}, referral.AdvocateCreated},
		{"create advocate again", func(t *testing.T) error {
			_, _, err := s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "Jane Park", Email: "JANE@example.com"})
			return err
		}, ""},
		{"refused advocate", func(t *testing.T) error {
			_, _, err := s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "X", Email: "bad"})
			return ignore(err, referral.EInvalid)
		}, ""},
		{"claim", func(t *testing.T) error {
			_, _, err := s.ClaimReferral(t.Context(), p, referral.NewReferral{ReferralCode: jane.Code, FriendName: "Fran Fields", FriendEmail: "fran@example.com"})
			return err
		}, referral.ReferralCreated},
		{"same claim again", func(t *testing.T) error {
			_, _, err := s.ClaimReferral(t.Context(), p, referral.NewReferral{ReferralCode: jane.Code, FriendName: "Fran Fields", FriendEmail: "fran@example.com"})
			return err
		}, ""},
		{"self-referral", func(t *testing.T) error {
			_, _, err := s.ClaimReferral(t.Context(), p, referral.NewReferral{ReferralCode: jane.Code, FriendName: "Jane", FriendEmail: "jane@example.com"})
			return ignore(err, referral.ESelfReferral)
		}, ""},
		{"unpaid invoice", func(t *testing.T) error {
			ev := pay("INV-1", "fran@example.com")
			ev.Status = "open"
			_, err := s.RecordConversion(t.Context(), p, ev)
			return err
		}, ""},
		{"stranger pays", func(t *testing.T) error {
			_, err := s.RecordConversion(t.Context(), p, pay("INV-0", "stranger@example.com"))
			return err
		}, ""},
		{"friend pays", func(t *testing.T) error {
			res, err := s.RecordConversion(t.Context(), p, pay("INV-1", "fran@example.com"))
			if err == nil {
				code = res.Conversion.Reward.Code
			}
			return err
		}, referral.ConversionRecorded},
		{"payment replayed", func(t *testing.T) error {
			_, err := s.RecordConversion(t.Context(), p, pay("INV-1", "fran@example.com"))
			return err
		}, ""},
		{"second invoice", func(t *testing.T) error {
			_, err := s.RecordConversion(t.Context(), p, pay("INV-2", "fran@example.com"))
			return err
		}, ""},
		{"redeem", func(t *testing.T) error {
			_, err := s.RedeemReward(t.Context(), p, code)
			return err
		}, referral.RewardRedeemed},
		{"redeem again", func(t *testing.T) error {
			_, err := s.RedeemReward(t.Context(), p, code)
			return ignore(err, referral.EAlreadyRedeemed)
		}, ""},
		{"partial refund", func(t *testing.T) error {
			_, err := s.ReverseConversion(t.Context(), p, referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-1", AmountRefunded: new(referral.Amount("10"))})
			return err
		}, ""},
		{"full refund", func(t *testing.T) error {
			_, err := s.ReverseConversion(t.Context(), p, referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-2"})
			return err
		}, referral.ConversionReversed},
		{"full refund replayed", func(t *testing.T) error {
			_, err := s.ReverseConversion(t.Context(), p, referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-2"})
			return err
		}, ""},
		{"another refund", func(t *testing.T) error {
			_, err := s.ReverseConversion(t.Context(), p, referral.RefundEvent{InvoiceID: "INV-1", RefundID: "RF-3"})
			return err
		}, ""},
	} {
		t.Run(step.name, func(t *testing.T) {
			c.Add(time.Minute)
			before := mustEvents(t, s, p, "")
			if err := step.do(t); err != nil {
				t.Fatal(err)
			}
			after := mustEvents(t, s, p, "")
			switch {
			case step.want == "" && len(after) != len(before):
				t.Fatalf("wrote %d events, want none", len(after)-len(before))
			case step.want != "" && len(after) != len(before)+1:
				t.Fatalf("wrote %d events, want one %s", len(after)-len(before), step.want)
			case step.want != "":
				e := after[0]
				if e.Type != step.want || !strings.HasPrefix(e.ID, "evt_") || e.PracticeID != p.ID || !e.CreatedAt.Equal(c.Now()) || !json.Valid(e.Data) {
					t.Errorf("event = %+v, want %s now", e, step.want)
				}
			}
		})
	}

	// Snapshots are frozen: conversion.recorded still shows the reward as issued.
	recorded := mustEvents(t, s, p, referral.ConversionRecorded)
	var data struct {
		Status string `json:"status"`
		Reward struct {
			Status string `json:"status"`
		} `json:"reward"`
	}
	if err := json.Unmarshal(recorded[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.Status != referral.Rewarded || data.Reward.Status != referral.Issued {
		t.Errorf("conversion.recorded data = %s, want the conversion as recorded", recorded[0].Data)
	}

	// Each type can be listed alone; event ids are unique.
	seen := map[string]bool{}
	for _, typ := range referral.EventTypes {
		for _, e := range mustEvents(t, s, p, typ) {
			if e.Type != typ || seen[e.ID] {
				t.Errorf("Events(%s) listed %+v", typ, e)
			}
			seen[e.ID] = true
		}
	}
	if len(seen) != 5 {
		t.Errorf("%d events in all, want 5", len(seen))
	}
	_, _, err := s.Events(t.Context(), p, "advocate.deleted", referral.Page{})
	wantError(t, err, referral.EInvalid, "type")
}

// ignore treats a domain error with the expected code as success.
func ignore(err error, code string) error {
	if referral.ErrorCode(err) == code {
		return nil
	}
	if err == nil {
		return &referral.Error{Code: "test", Detail: "expected " + code + ", got success"}
	}
	return err
}

// Listings page newest first with a cursor, up to 100 at a time.
func TestListingsPage(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	var want []string
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		c.Add(time.Millisecond) // ids order by the millisecond
		want = append(want, mustAdvocate(t, s, p, name, name+"@example.com").ID)
	}
	slices.Reverse(want)

	var got []string
	cursor := ""
	for range 10 {
		list, next, err := s.Advocates(t.Context(), p, referral.AdvocateFilter{}, referral.Page{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			got = append(got, a.ID)
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages = %q, want %q", got, want)
	}
	for _, limit := range []int{-1, 101} {
		_, _, err := s.Advocates(t.Context(), p, referral.AdvocateFilter{}, referral.Page{Limit: limit})
		wantError(t, err, referral.EInvalid, "limit")
	}
}
