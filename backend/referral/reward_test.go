package referral_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// rewardCode is AL- and 8 characters of the unambiguous alphabet.
var rewardCode = regexp.MustCompile(`^AL-[2-9ABCDEFGHJKMNPQRSTUVWXYZ]{8}$`)

// The default reward is about 50 US dollars of service credit in the practice's currency,
// priced the way people price in it, as a discount code; any invoice of one minor unit or more
// qualifies.
func TestRewardDefaults(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	for _, tc := range []struct {
		currency, want, minimum string
	}{
		{"", "50.00 USD", "0.01 USD"},
		{"EUR", "50.00 EUR", "0.01 EUR"},
		{"gbp", "40.00 GBP", "0.01 GBP"},
		{"cad", "50.00 CAD", "0.01 CAD"},
		{"AUD", "75.00 AUD", "0.01 AUD"},
		{"JPY", "5000 JPY", "1 JPY"},       // no decimals
		{"KRW", "50000 KRW", "1 KRW"},      // no decimals
		{"KWD", "15.000 KWD", "0.001 KWD"}, // three decimals
		{"INR", "4000.00 INR", "0.01 INR"},
		{"ISK", "50 ISK", "1 ISK"}, // not in the table: the fallback, 50 major units
	} {
		t.Run("currency "+tc.currency, func(t *testing.T) {
			p, _, err := s.CreatePractice(t.Context(), referral.NewPractice{Name: "Glow", AdminEmail: "owner@example.com", Currency: tc.currency})
			if err != nil {
				t.Fatal(err)
			}
			if got := withCode(p.Reward.Minimum); got != tc.minimum {
				t.Errorf("minimum = %s, want %s", got, tc.minimum)
			}
			jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
			mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
			c := mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@example.com", Amount: "250"})
			r := c.Reward
			if got := withCode(r.Amount); got != tc.want {
				t.Errorf("reward = %s, want %s", got, tc.want)
			}
			if r.Kind != referral.DiscountCode || r.Status != referral.Issued || !rewardCode.MatchString(r.Code) ||
				r.AdvocateID != jane.ID || r.ConversionID != c.ID || !r.IssuedAt.Equal(epoch) ||
				r.RedeemedAt != nil || r.VoidedAt != nil || r.ClawbackOwed {
				t.Errorf("reward = %+v", r)
			}
			listed := mustRewards(t, s, p, referral.RewardFilter{Code: strings.ToLower(r.Code)})
			if len(listed) != 1 || listed[0].ID != r.ID || listed[0].Amount != r.Amount {
				t.Errorf("rewards by code = %+v, want %s", listed, r.ID)
			}
		})
	}
}

// A practice whose policy is wallet credit gets a front-desk task instead of a discount code.
func TestRewardWalletCredit(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	p.Reward.Kind = referral.WalletCredit
	p.Reward.Amount = referral.Money{Minor: 75_00, Currency: "USD"}
	mustSavePractice(t, s, p)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	r := mustConvert(t, s, p, pay("INV-1", "fran@example.com")).Reward
	if r.Kind != referral.WalletCredit || r.Amount.String() != "75.00" || r.Status != referral.Issued {
		t.Errorf("reward = %+v, want 75.00 of wallet credit", r)
	}
	// The front desk marks it credited the way a code is redeemed.
	if got, err := s.RedeemReward(t.Context(), p, r.Code); err != nil || got.Status != referral.Redeemed {
		t.Errorf("crediting = %+v, %v", got, err)
	}
}

var friends atomic.Int64

// referFriends converts n new friends of advocate a at the clock's current time.
func referFriends(tb testing.TB, s *referral.Service, p *referral.Practice, a *referral.Advocate, n int) []*referral.Conversion {
	tb.Helper()
	var out []*referral.Conversion
	for range n {
		i := friends.Add(1)
		email := fmt.Sprintf("friend%d@example.com", i)
		mustReferral(tb, s, p, a, fmt.Sprintf("Friend %d", i), email)
		out = append(out, mustConvert(tb, s, p, pay(fmt.Sprintf("INV-%d", i), email)))
	}
	return out
}

// Past the yearly cap (per advocate, per calendar year) a conversion is recorded with a capped
// reward and no code; the next calendar year starts afresh.
func TestRewardYearlyCap(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	ann := mustAdvocate(t, s, p, "Ann Lee", "ann@example.com")

	for i, conv := range referFriends(t, s, p, jane, 10) {
		if conv.Reward.Status != referral.Issued || conv.Reward.Code == "" {
			t.Fatalf("conversion %d: reward = %+v, want issued", i+1, conv.Reward)
		}
	}
	c.Set(time.Date(2026, time.November, 30, 12, 0, 0, 0, time.UTC))
	eleventh := referFriends(t, s, p, jane, 1)[0]
	if r := eleventh.Reward; r.Status != referral.Capped || r.Code != "" || r.Amount.String() != "50.00" {
		t.Errorf("11th reward = %+v, want capped with no code", r)
	}
	if eleventh.Status != referral.Rewarded {
		t.Errorf("11th conversion status = %q, want it recorded", eleventh.Status)
	}
	events := mustEvents(t, s, p, referral.ConversionRecorded)
	var data struct {
		Reward struct {
			Code   *string `json:"code"`
			Status string  `json:"status"`
		} `json:"reward"`
	}
	if err := json.Unmarshal(events[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	if len(events) != 11 || data.Reward.Status != referral.Capped || data.Reward.Code != nil {
		t.Errorf("%d conversion.recorded events, newest %s; want 11, the newest capped with a null code", len(events), events[0].Data)
	}
	if got := len(mustRewards(t, s, p, referral.RewardFilter{Status: referral.Capped})); got != 1 {
		t.Errorf("%d capped rewards listed, want 1", got)
	}

	// The cap is per advocate.
	if r := referFriends(t, s, p, ann, 1)[0].Reward; r.Status != referral.Issued {
		t.Errorf("another advocate's reward = %+v, want issued", r)
	}

	// A new calendar year resets it.
	c.Set(time.Date(2027, time.January, 2, 12, 0, 0, 0, time.UTC))
	if r := referFriends(t, s, p, jane, 1)[0].Reward; r.Status != referral.Issued || r.Code == "" {
		t.Errorf("reward in the new year = %+v, want issued", r)
	}
}

// The calendar year is the practice's: New Year's Eve evening in New York is still that year.
func TestRewardYearlyCapFollowsPracticeTimeZone(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s) // America/New_York
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	referFriends(t, s, p, jane, 10)

	for _, tc := range []struct {
		name string
		at   time.Time
		want string
	}{
		// 04:30 UTC on January 1st is 23:30 on December 31st in New York.
		{"23:30 on Dec 31 in New York", time.Date(2027, time.January, 1, 4, 30, 0, 0, time.UTC), referral.Capped},
		{"00:30 on Jan 1 in New York", time.Date(2027, time.January, 1, 5, 30, 0, 0, time.UTC), referral.Issued},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.Set(tc.at)
			if r := referFriends(t, s, p, jane, 1)[0].Reward; r.Status != tc.want {
				t.Errorf("reward = %+v, want %s", r, tc.want)
			}
		})
	}
}

// Voided rewards were never had, so they do not count towards the cap.
func TestRewardYearlyCapIgnoresVoidedRewards(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	p.Reward.AnnualCap = 2
	mustSavePractice(t, s, p)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	convs := referFriends(t, s, p, jane, 2)
	mustReverse(t, s, p, referral.RefundEvent{InvoiceID: convs[0].InvoiceID})
	if r := referFriends(t, s, p, jane, 1)[0].Reward; r.Status != referral.Issued {
		t.Errorf("reward after a void = %+v, want issued", r)
	}
	if r := referFriends(t, s, p, jane, 1)[0].Reward; r.Status != referral.Capped {
		t.Errorf("reward past the cap = %+v, want capped", r)
	}
}

func TestRedeemReward(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	convs := referFriends(t, s, p, jane, 2)
	code, voided := convs[0].Reward.Code, convs[1].Reward.Code
	mustReverse(t, s, p, referral.RefundEvent{InvoiceID: convs[1].InvoiceID})
	eventsBefore := len(mustEvents(t, s, p, ""))

	c.Add(24 * time.Hour)
	r, err := s.RedeemReward(t.Context(), p, "  "+strings.ToLower(code)+" ")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != referral.Redeemed || r.Code != code || r.RedeemedAt == nil || !r.RedeemedAt.Equal(epoch.Add(24*time.Hour)) {
		t.Errorf("redeemed reward = %+v", r)
	}
	if listed := mustRewards(t, s, p, referral.RewardFilter{Code: code}); listed[0].Status != referral.Redeemed {
		t.Errorf("stored status = %q, want redeemed", listed[0].Status)
	}
	events := mustEvents(t, s, p, referral.RewardRedeemed)
	if len(events) != 1 {
		t.Fatalf("%d reward.redeemed events, want 1", len(events))
	}
	var data struct {
		ID     string `json:"id"`
		Code   string `json:"code"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal(events[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.ID != r.ID || data.Code != code || data.Status != referral.Redeemed {
		t.Errorf("reward.redeemed data = %s", events[0].Data)
	}

	for _, tc := range []struct {
		name, code, want string
	}{
		{"again", code, referral.EAlreadyRedeemed},
		{"voided", voided, referral.ERewardVoided},
		{"unknown", "AL-ZZZZZZZZ", referral.ENotFound},
		{"empty", "", referral.ENotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.RedeemReward(t.Context(), p, tc.code)
			wantError(t, err, tc.want)
		})
	}
	if n := len(mustEvents(t, s, p, "")); n != eventsBefore+1 {
		t.Errorf("%d events, want %d (only the redemption)", n, eventsBefore+1)
	}
}

// withCode writes an amount with all its currency's decimals and its code, "50.00 USD", so a
// default shows its scale too.
func withCode(m referral.Money) string { return m.String() + " " + m.Currency }
