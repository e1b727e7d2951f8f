package referral_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// A payer whose email matches no one but whose name closely matches a pending referral's
// friend is kept as a near-miss for the front desk; any other payer is no match.
func TestNearMissByName(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	for _, tc := range []struct {
		friend string
		payer  referral.PaymentEvent // name fields only
		want   string
	}{
		{"Frances Fields", referral.PaymentEvent{Name: "Fran Fields"}, referral.OutcomeNearMiss},
		{"Fran Fields", referral.PaymentEvent{Name: "Frances Fields"}, referral.OutcomeNearMiss},
		{"José Diaz", referral.PaymentEvent{Name: "Jose Diaz"}, referral.OutcomeNearMiss},
		{"Jose Diaz", referral.PaymentEvent{FirstName: "JOSÉ", LastName: "DÍAZ"}, referral.OutcomeNearMiss},
		{"Kate O'Neil", referral.PaymentEvent{Name: "Kate O Neil"}, referral.OutcomeNearMiss},
		{"Katherine Ames", referral.PaymentEvent{FirstName: "Kat", LastName: "Ames"}, referral.OutcomeNearMiss},
		{"Jon Smith", referral.PaymentEvent{Name: "John Smith"}, referral.OutcomeNearMiss},
		{"Frances Fields", referral.PaymentEvent{Name: "Maria Lopez"}, referral.OutcomeNoMatch},
		{"Frances Fields", referral.PaymentEvent{Name: "Frances Smith"}, referral.OutcomeNoMatch},
		{"Frances Fields", referral.PaymentEvent{Name: "Fields"}, referral.OutcomeNoMatch},
		{"Frances Fields", referral.PaymentEvent{Name: "Fr Fields"}, referral.OutcomeNoMatch},
		{"Frances Fields", referral.PaymentEvent{Name: "Georgia Fields"}, referral.OutcomeNoMatch},
		{"Frances Fields", referral.PaymentEvent{}, referral.OutcomeNoMatch},
		{"Cher", referral.PaymentEvent{Name: "CHÉR"}, referral.OutcomeNearMiss},
		{"Ron Smith", referral.PaymentEvent{Name: "Jon Smith"}, referral.OutcomeNearMiss},
		{"Elena Fields", referral.PaymentEvent{Name: "Lena Fields"}, referral.OutcomeNearMiss},
		{"Lena Fields", referral.PaymentEvent{Name: "Elena Fields"}, referral.OutcomeNearMiss},
		{"Zoë Mary Fields", referral.PaymentEvent{FirstName: "Zoe", LastName: "Fields"}, referral.OutcomeNearMiss},
		{"Jo Fields", referral.PaymentEvent{Name: "Joanna Fields"}, referral.OutcomeNoMatch},
		{"Anna Fields", referral.PaymentEvent{Name: "Nana Fields"}, referral.OutcomeNoMatch},
		{"Cher", referral.PaymentEvent{Name: "Cher Fields"}, referral.OutcomeNoMatch},
		{"Frances Fields", referral.PaymentEvent{Name: "-- --"}, referral.OutcomeNoMatch},
	} {
		name := tc.payer.Name + tc.payer.FirstName + " " + tc.payer.LastName
		t.Run(tc.friend+" paid as "+name, func(t *testing.T) {
			p := mustPractice(t, s)
			jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
			ref := mustReferral(t, s, p, jane, tc.friend, "friend@example.com")
			ev := tc.payer
			ev.InvoiceID, ev.PaymentID, ev.Email, ev.Amount = "INV-1", "PAY-1", " Other.Address@Example.com", "250.00"

			res := mustRecord(t, s, p, ev)
			if res.Outcome != tc.want || res.Matched || res.Conversion != nil {
				t.Fatalf("result = %+v, want %s, unmatched", res, tc.want)
			}
			list := mustNearMisses(t, s, p)
			if tc.want == referral.OutcomeNoMatch {
				if len(list) != 0 {
					t.Errorf("near-misses = %+v, want none", list)
				}
				return
			}
			if len(list) != 1 {
				t.Fatalf("near-misses = %+v, want one", list)
			}
			n := list[0]
			if n.Reason != referral.NameMatch || n.ReferralID != ref.ID || n.AdvocateID != jane.ID ||
				n.FriendName != tc.friend || n.PayerEmail != "other.address@example.com" ||
				n.InvoiceID != "INV-1" || n.PaymentID != "PAY-1" || n.Amount != (referral.Money{Minor: 25000, Currency: "USD"}) ||
				!n.PaidAt.Equal(epoch) || !n.CreatedAt.Equal(epoch) || !n.ExpiresAt.Equal(epoch.Add(30*24*time.Hour)) {
				t.Errorf("near-miss = %+v", n)
			}
			if n.PayerName == "" {
				t.Errorf("near-miss has no payer name")
			}
			if refs := mustReferrals(t, s, p, referral.ReferralFilter{}); refs[0].Status != referral.Pending {
				t.Errorf("referral status = %q, want pending until someone confirms", refs[0].Status)
			}
			if n := len(mustConversions(t, s, p)); n != 0 {
				t.Errorf("%d conversions, want none", n)
			}
			wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated) // a near-miss is not an event
		})
	}
}

// Only pending referrals attract near-misses: a friend who already converted is not one.
// Every pending referral is a candidate, however many newer ones the practice has.
func TestNearMissAmongManyPendingReferrals(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	oldest := mustReferral(t, s, p, jane, "Frances Fields", "frances@example.com")
	for i := range 1100 {
		mustReferral(t, s, p, jane, fmt.Sprintf("Friend Number%d", i), fmt.Sprintf("friend%d@example.com", i))
	}
	res := mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran.f@example.com", Name: "Fran Fields", Amount: "250"})
	misses := mustNearMisses(t, s, p)
	if res.Outcome != referral.OutcomeNearMiss || len(misses) != 1 || misses[0].ReferralID != oldest.ID {
		t.Errorf("payer named like the oldest of 1,101 pending friends: %s, near-misses %+v", res.Outcome, misses)
	}
}

func TestNearMissOnlyForPendingReferrals(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Frances Fields", "fran@example.com")
	mustConvert(t, s, p, pay("INV-1", "fran@example.com"))
	res := mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-2", Email: "fran.work@example.com", Name: "Frances Fields", Amount: "250"})
	if res.Outcome != referral.OutcomeNoMatch {
		t.Errorf("outcome = %q, want no_match", res.Outcome)
	}
}

// A referral claimed after the payment it would match is not converted automatically.
func TestClaimedAfterPayment(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	for _, tc := range []struct {
		name   string
		paidAt string
		want   string
	}{
		{"paid the day before the claim", epoch.Add(-24 * time.Hour).Format(time.RFC3339), referral.OutcomeNearMiss},
		{"paid a second before the claim", epoch.Add(-time.Second).Format(time.RFC3339), referral.OutcomeNearMiss},
		{"paid the moment of the claim", epoch.Format(time.RFC3339Nano), referral.OutcomeConverted},
		{"paid after the claim", epoch.Add(time.Hour).Format(time.RFC3339), referral.OutcomeConverted},
		{"paid_at defaults to now", "", referral.OutcomeConverted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Set(epoch)
			p := mustPractice(t, s)
			jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
			ref := mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
			c.Add(2 * time.Hour) // the payment event arrives later than the claim, whenever it was paid
			ev := pay("INV-1", "fran@example.com")
			ev.PaidAt = tc.paidAt
			res := mustRecord(t, s, p, ev)
			if res.Outcome != tc.want || !res.Matched {
				t.Fatalf("result = %+v, want matched %s", res, tc.want)
			}
			if tc.want != referral.OutcomeNearMiss {
				return
			}
			if res.Conversion != nil {
				t.Errorf("near_miss carried a conversion")
			}
			list := mustNearMisses(t, s, p)
			if len(list) != 1 || list[0].Reason != referral.ClaimedAfterPayment || list[0].ReferralID != ref.ID ||
				list[0].PayerEmail != "fran@example.com" {
				t.Errorf("near-misses = %+v, want one claimed_after_payment for %s", list, ref.ID)
			}
			if n := len(mustConversions(t, s, p)); n != 0 {
				t.Errorf("%d conversions, want none", n)
			}
		})
	}
}

func TestConfirmNearMiss(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	for _, tc := range []struct {
		name   string
		ev     referral.PaymentEvent
		reason string
	}{
		{"name match", referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-1", Email: "fran.work@example.com",
			Name: "Fran Fields", Amount: "180.00"}, referral.NameMatch},
		{"claimed after payment", referral.PaymentEvent{InvoiceID: "INV-1", Email: "frances@example.com",
			Amount: "180.00", PaidAt: epoch.Add(-time.Hour).Format(time.RFC3339)}, referral.ClaimedAfterPayment},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Set(epoch)
			p := mustPractice(t, s)
			jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
			ref := mustReferral(t, s, p, jane, "Frances Fields", "frances@example.com")
			if res := mustRecord(t, s, p, tc.ev); res.Outcome != referral.OutcomeNearMiss {
				t.Fatalf("outcome = %q, want near_miss", res.Outcome)
			}
			n := mustNearMisses(t, s, p)[0]
			if n.Reason != tc.reason {
				t.Fatalf("reason = %q, want %q", n.Reason, tc.reason)
			}

			c.Add(time.Hour)
			res, err := s.ConfirmNearMiss(t.Context(), p, n.ID)
			if err != nil {
				t.Fatal(err)
			}
			conv := res.Conversion
			if res.Outcome != referral.OutcomeConverted || !res.Matched || res.InvoiceID != "INV-1" || conv == nil ||
				conv.ReferralID != ref.ID || conv.AdvocateID != jane.ID || conv.InvoiceID != "INV-1" ||
				conv.Amount.String() != "180.00" || conv.Source != referral.SourceManual || conv.Status != referral.Rewarded {
				t.Fatalf("ConfirmNearMiss = %+v (conversion %+v)", res, conv)
			}
			if r := conv.Reward; r == nil || r.Status != referral.Issued || r.Code == "" {
				t.Errorf("reward = %+v, want issued", r)
			}
			if list := mustNearMisses(t, s, p); len(list) != 0 {
				t.Errorf("near-misses after confirming = %+v, want none", list)
			}
			if refs := mustReferrals(t, s, p, referral.ReferralFilter{}); refs[0].Status != referral.Converted {
				t.Errorf("referral status = %q, want converted", refs[0].Status)
			}
			wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded)

			_, err = s.ConfirmNearMiss(t.Context(), p, n.ID)
			wantError(t, err, referral.ENotFound)

			// Zapier replaying the payment now answers the confirmed conversion.
			again := mustRecord(t, s, p, tc.ev)
			if !again.Replayed || again.Outcome != referral.OutcomeConverted || again.Conversion == nil || again.Conversion.ID != conv.ID {
				t.Errorf("replay after confirming = %+v, want conversion %s", again, conv.ID)
			}
			wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated, referral.ConversionRecorded)
		})
	}
}

// A near-miss whose referral converted meanwhile cannot be confirmed, and stays for dismissal.
func TestConfirmNearMissAfterConversion(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Frances Fields", "frances@example.com")
	mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran.work@example.com", Name: "Fran Fields", Amount: "180"})
	n := mustNearMisses(t, s, p)[0]
	mustConvert(t, s, p, pay("INV-2", "frances@example.com"))

	_, err := s.ConfirmNearMiss(t.Context(), p, n.ID)
	wantError(t, err, referral.EAlreadyConverted)
	if list := mustNearMisses(t, s, p); len(list) != 1 {
		t.Errorf("near-misses = %+v, want it kept", list)
	}
	if n := len(mustEvents(t, s, p, referral.ConversionRecorded)); n != 1 {
		t.Errorf("%d conversion.recorded events, want 1", n)
	}
}

func TestDismissNearMiss(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Frances Fields", "frances@example.com")
	mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran.work@example.com", Name: "Fran Fields", Amount: "180"})
	n := mustNearMisses(t, s, p)[0]

	if err := s.DismissNearMiss(t.Context(), p, n.ID); err != nil {
		t.Fatal(err)
	}
	if list := mustNearMisses(t, s, p); len(list) != 0 {
		t.Errorf("near-misses after dismissing = %+v, want none", list)
	}
	wantError(t, s.DismissNearMiss(t.Context(), p, n.ID), referral.ENotFound)
	_, err := s.ConfirmNearMiss(t.Context(), p, n.ID)
	wantError(t, err, referral.ENotFound)
	if refs := mustReferrals(t, s, p, referral.ReferralFilter{}); refs[0].Status != referral.Pending {
		t.Errorf("referral status = %q, want still pending", refs[0].Status)
	}
	if n := len(mustConversions(t, s, p)); n != 0 {
		t.Errorf("%d conversions, want none", n)
	}
	wantEvents(t, s, p, referral.AdvocateCreated, referral.ReferralCreated)
	// The friend paying under their own email still converts.
	mustConvert(t, s, p, pay("INV-2", "frances@example.com"))
}

// Near-misses hold a payer's name and email, so they are deleted after 30 days.
func TestPurgeNearMisses(t *testing.T) {
	t.Parallel()
	s, c := mustIsolatedService(t) // purging spans practices: other tests' near-misses would go too
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Frances Fields", "frances@example.com")
	mustReferral(t, s, p, jane, "Gus Gray", "gus@example.com")
	mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran.work@example.com", Name: "Fran Fields", Amount: "180"})
	c.Add(10 * 24 * time.Hour)
	mustRecord(t, s, p, referral.PaymentEvent{InvoiceID: "INV-2", Email: "gus.work@example.com", Name: "Gus Gray", Amount: "180"})

	for _, tc := range []struct {
		name   string
		at     time.Duration // since the first near-miss
		purged int64
		left   int
	}{
		{"a day later", 24 * time.Hour, 0, 2},
		{"just inside 30 days", 30*24*time.Hour - time.Second, 0, 2},
		{"just past 30 days", 30*24*time.Hour + time.Second, 1, 1},
		{"40 days later", 40*24*time.Hour + time.Second, 1, 0},
		{"again", 41 * 24 * time.Hour, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Set(epoch.Add(tc.at))
			n, err := s.PurgeNearMisses(t.Context())
			if err != nil || n != tc.purged {
				t.Fatalf("PurgeNearMisses = %d, %v, want %d", n, err, tc.purged)
			}
			if list := mustNearMisses(t, s, p); len(list) != tc.left {
				t.Errorf("%d near-misses left, want %d", len(list), tc.left)
			}
		})
	}
}

// Storage narrows near-miss candidates in SQL before closeNames looks at them; it must never
// leave out a friend closeNames would call close. Short first names over a few letters make
// every kind of near pair: prefixes, one edit at the start, the middle and the end.
func TestNearMissCandidatesHoldEveryCloseName(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	var firsts []string
	var grow func(prefix string)
	grow = func(prefix string) {
		if prefix != "" {
			firsts = append(firsts, prefix)
		}
		if len(prefix) < 4 {
			for _, c := range "aeén" {
				grow(prefix + string(c))
			}
		}
	}
	grow("")
	names := map[string]string{} // referral id -> friend's name
	for i, first := range firsts {
		r := mustReferral(t, s, p, jane, first+" Fields", fmt.Sprintf("friend%d@example.com", i))
		names[r.ID] = r.FriendName
	}
	for _, payer := range []string{"Anne Fields", "Ena Fields", "Nea Fields", "Aén Fields", "A Fields", "Neen Fields", "Eeee Fields"} {
		first, last := referral.NameKeys(payer)
		var found []referral.Referral
		err := s.Store.InTx(t.Context(), func(tx referral.Tx) (err error) {
			found, err = tx.NearMissCandidates(p.ID, first, last)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, r := range found {
			got[r.ID] = true
		}
		close := 0
		for id, name := range names {
			if referral.CloseNames(payer, name) {
				close++
				if !got[id] {
					t.Errorf("%s: %s is close but not a candidate", payer, name)
				}
			}
		}
		if close == 0 || len(found) >= len(names)/2 {
			t.Errorf("%s: %d close names, %d candidates of %d: the test or the narrowing proves nothing", payer, close, len(found), len(names))
		}
	}
}
