package referral_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// concurrently runs fn n times at once and returns each run's error.
func concurrently(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	return errs
}

// Zapier retrying while the first attempt is still running must not reward twice.
func TestConcurrentCopiesOfOnePayment(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")

	results := make([]*referral.ConversionResult, 6)
	for _, err := range concurrently(len(results), func(i int) (err error) {
		results[i], err = s.RecordConversion(t.Context(), p, referral.PaymentEvent{InvoiceID: "INV-1", PaymentID: "PAY-1", Email: "fran@example.com", Amount: "250"})
		return err
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	created, ids := 0, map[string]bool{}
	for _, res := range results {
		if res.Created() {
			created++
		}
		if res.Outcome != referral.OutcomeConverted || res.Conversion == nil {
			t.Fatalf("result = %+v, want the conversion", res)
		}
		ids[res.Conversion.ID] = true
	}
	if created != 1 || len(ids) != 1 {
		t.Errorf("%d created, %d conversion ids; want one of each", created, len(ids))
	}
	if n := len(mustEvents(t, s, p, referral.ConversionRecorded)); n != 1 {
		t.Errorf("%d conversion.recorded events, want 1", n)
	}
}

// Several invoices of one friend arriving at once convert the referral once.
func TestConcurrentInvoicesOfOneFriend(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")

	outcomes := make([]string, 6)
	for _, err := range concurrently(len(outcomes), func(i int) error {
		res, err := s.RecordConversion(t.Context(), p, pay(fmt.Sprintf("INV-%d", i), "fran@example.com"))
		if err == nil {
			outcomes[i] = res.Outcome
		}
		return err
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	count := map[string]int{}
	for _, o := range outcomes {
		count[o]++
	}
	if count[referral.OutcomeConverted] != 1 || count[referral.OutcomeAlreadyRewarded] != len(outcomes)-1 {
		t.Errorf("outcomes = %v, want one converted, the rest already_rewarded", count)
	}
	if n := len(mustRewards(t, s, p, referral.RewardFilter{})); n != 1 {
		t.Errorf("%d rewards, want 1", n)
	}
}

// Two advocates' links claimed by one friend at the same moment: the first claim wins.
func TestConcurrentClaimsForOneFriend(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	var advocates []*referral.Advocate
	for i := range 6 {
		advocates = append(advocates, mustAdvocate(t, s, p, fmt.Sprintf("Advocate %d", i), fmt.Sprintf("a%d@example.com", i)))
	}
	created := make([]bool, len(advocates))
	errs := concurrently(len(advocates), func(i int) (err error) {
		_, created[i], err = s.ClaimReferral(t.Context(), p, referral.NewReferral{ReferralCode: advocates[i].Code,
			FriendName: "Fran Fields", FriendEmail: "fran@example.com"})
		return err
	})
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil && created[i]:
			wins++
		case referral.ErrorCode(err) != referral.EAlreadyReferred:
			t.Errorf("claim %d: created %v, %v; want already-referred", i, created[i], err)
		}
	}
	if wins != 1 {
		t.Errorf("%d claims won, want 1", wins)
	}
	if n := len(mustReferrals(t, s, p, referral.ReferralFilter{})); n != 1 {
		t.Errorf("%d referrals, want 1", n)
	}
	if n := len(mustEvents(t, s, p, referral.ReferralCreated)); n != 1 {
		t.Errorf("%d referral.created events, want 1", n)
	}
}

// Admins inviting one colleague at once: one staff member, and every invitation answers with
// that staff member and a link it stored. Before, the invitation whose insert found the email
// taken answered a staff member and a link that were never written.
func TestConcurrentInvitationsOfOneColleague(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	for round := range 5 {
		email := fmt.Sprintf("desk%d@%s.example", round, p.Slug)
		staff := make([]*referral.Staff, 8)
		tokens := make([]string, len(staff))
		for _, err := range concurrently(len(staff), func(i int) (err error) {
			staff[i], tokens[i], err = s.InviteStaff(t.Context(), p, referral.NewStaff{Email: email, Role: referral.FrontDesk})
			return err
		}) {
			if err != nil {
				t.Fatal(err)
			}
		}
		var stored []referral.Staff
		list, err := s.StaffList(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range list {
			if st.Email == email {
				stored = append(stored, st)
			}
		}
		if len(stored) != 1 {
			t.Fatalf("%d staff with %s, want 1", len(stored), email)
		}
		working := 0
		for i, st := range staff {
			if st.ID != stored[0].ID {
				t.Errorf("invitation %d answered staff %s, which is not stored (%s is)", i, st.ID, stored[0].ID)
			}
			if st.SetupTokenHash != referral.HashSecret(tokens[i]) {
				t.Errorf("invitation %d answered a staff member whose link is not its own", i)
			}
			if st, err := s.SetupAccount(t.Context(), tokens[i]); err == nil && st.ID == stored[0].ID {
				working++
			}
		}
		// A new invitation replaces the link of the one before, as one after the other would.
		if working != 1 {
			t.Errorf("%d of the links work, want the last one stored", working)
		}
	}
}

// Friends of one advocate paying at the same moment, with two rewards left of the year's cap:
// two are issued and the rest capped, however the payments interleave.
func TestConcurrentConversionsAtTheCap(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	p.Reward.AnnualCap = 2
	mustSavePractice(t, s, p)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	const friends = 8
	for i := range friends {
		mustReferral(t, s, p, jane, fmt.Sprintf("Friend %d", i), fmt.Sprintf("friend%d@example.com", i))
	}
	for _, err := range concurrently(friends, func(i int) error {
		_, err := s.RecordConversion(t.Context(), p, pay(fmt.Sprintf("INV-%d", i), fmt.Sprintf("friend%d@example.com", i)))
		return err
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	count := map[string]int{}
	for _, r := range mustRewards(t, s, p, referral.RewardFilter{}) {
		count[r.Status]++
	}
	if count[referral.Issued] != 2 || count[referral.Capped] != friends-2 {
		t.Errorf("rewards = %v, want 2 issued and %d capped", count, friends-2)
	}
}

// A refund and its invoice's payment recorded at the same moment: whichever comes first, no
// reward stands for a refunded invoice.
func TestConcurrentPaymentAndRefundOfOneInvoice(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	const invoices = 8
	for i := range invoices {
		mustReferral(t, s, p, jane, fmt.Sprintf("Friend %d", i), fmt.Sprintf("friend%d@example.com", i))
	}
	for _, err := range concurrently(2*invoices, func(i int) error {
		invoice := fmt.Sprintf("INV-%d", i/2)
		if i%2 == 0 {
			_, err := s.ReverseConversion(t.Context(), p, referral.RefundEvent{InvoiceID: invoice})
			return err
		}
		_, err := s.RecordConversion(t.Context(), p, pay(invoice, fmt.Sprintf("friend%d@example.com", i/2)))
		return err
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range mustConversions(t, s, p) {
		if c.Status != referral.Reversed || c.Reward.Status != referral.Voided {
			t.Errorf("conversion of refunded %s: %s, reward %s; want reversed and voided", c.InvoiceID, c.Status, c.Reward.Status)
		}
	}
	if n := len(mustRewards(t, s, p, referral.RewardFilter{Status: referral.Issued})); n != 0 {
		t.Errorf("%d rewards issued for refunded invoices", n)
	}
}
