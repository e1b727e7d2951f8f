package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/app"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// heldReward is a Reward as the API answers it, with what the hold changes.
type heldReward struct {
	ID        string     `json:"id"`
	Code      *string    `json:"code"`
	Status    string     `json:"status"`
	HeldUntil *time.Time `json:"held_until"`
	IssuedAt  time.Time  `json:"issued_at"`
}

// A practice turns the hold on in the dashboard; a conversion answers a pending reward; when the
// server's clock passes the hold, its own worker issues the reward: reward.issued is listed
// and delivered to the Zap's hook, and the advocate's email is written once.
func TestHeldRewardThroughTheServer(t *testing.T) {
	var ahead atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	s := mustServeWith(t, func(a *app.App) { a.Service.Clock = now }, func(c *config.Config) { c.AllowPrivateHooks = true })
	p := s.mustPractice(t, "Glow Aesthetics")

	admin := s.signedInAdmin(t, p)
	if status, page := admin.post(t, "/app/settings", "/app/settings/reward", url.Values{"kind": {"discount_code"},
		"amount": {"50"}, "annual_cap": {"10"}, "hold_days": {"14"}}); status != http.StatusSeeOther {
		t.Fatalf("saving the hold: %d\n%s", status, page)
	}
	var me struct {
		Reward struct {
			HoldDays int `json:"hold_days"`
		} `json:"reward"`
	}
	mustDo(t, p.Client, "GET", "/v1/me", nil, 200, &me)
	if me.Reward.HoldDays != 14 {
		t.Fatalf("/v1/me reward.hold_days = %d, want 14", me.Reward.HoldDays)
	}

	arrived := make(chan []byte, 4)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		arrived <- b
	}))
	defer receiver.Close()
	mustDo(t, p.Client, "POST", "/v1/hooks", map[string]any{"event": "reward.issued", "target_url": receiver.URL + "/zap"}, 201, nil)

	var adv struct {
		ID string `json:"id"`
	}
	mustDo(t, p.Client, "POST", "/v1/advocates", map[string]any{"name": "Jane Avery", "email": "jane@example.com"}, 201, &adv)
	for _, friend := range []string{"fran", "gil"} {
		mustDo(t, p.Client, "POST", "/v1/referrals", map[string]any{"advocate_id": adv.ID, "friend_name": friend + " Fields",
			"friend_email": friend + "@example.com"}, 201, nil)
	}
	var res struct {
		Conversion struct {
			PaidAt time.Time  `json:"paid_at"`
			Reward heldReward `json:"reward"`
		} `json:"conversion"`
	}
	mustDo(t, p.Client, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-1", "email": "fran@example.com", "amount": "250.00"}, 201, &res)
	held := res.Conversion.Reward
	until := res.Conversion.PaidAt.In(p.Location()).AddDate(0, 0, 14)
	if held.Status != referral.Pending || held.Code != nil || held.HeldUntil == nil || !held.HeldUntil.Equal(until) {
		t.Fatalf("reward = %+v, want pending with no code until %s", held, until)
	}
	var rewards struct {
		Data []heldReward `json:"data"`
	}
	mustDo(t, p.Client, "GET", "/v1/rewards?status=pending", nil, 200, &rewards)
	if len(rewards.Data) != 1 || rewards.Data[0].ID != held.ID {
		t.Fatalf("pending rewards = %+v, want %s", rewards.Data, held.ID)
	}

	// A refund inside the hold voids the other friend's reward quietly.
	var other struct {
		Conversion struct {
			Reward heldReward `json:"reward"`
		} `json:"conversion"`
	}
	mustDo(t, p.Client, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-2", "email": "gil@example.com", "amount": "250.00"}, 201, nil)
	mustDo(t, p.Client, "POST", "/v1/conversions/reverse", map[string]any{"invoice_id": "INV-2"}, 200, &other)
	if r := other.Conversion.Reward; r.Status != referral.Voided || r.Code != nil || r.HeldUntil != nil {
		t.Fatalf("reward refunded inside the hold = %+v, want voided with no code", r)
	}

	var events struct {
		Data []referral.Event `json:"data"`
	}
	time.Sleep(100 * time.Millisecond) // a few passes of the worker: nothing is due yet
	if mustDo(t, p.Client, "GET", "/v1/events?type=reward.issued", nil, 200, &events); len(events.Data) != 0 {
		t.Fatalf("reward.issued before the hold ended: %+v", events.Data)
	}

	ahead.Store(int64(15 * 24 * time.Hour))
	var delivered referral.Event
	select {
	case b := <-arrived:
		if err := json.Unmarshal(b, &delivered); err != nil {
			t.Fatalf("delivered %s: %v", b, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no reward.issued delivered within 10s of the hold ending")
	}
	mustDo(t, p.Client, "GET", "/v1/events?type=reward.issued", nil, 200, &events)
	if len(events.Data) != 1 || events.Data[0].ID != delivered.ID || string(events.Data[0].Data) != string(delivered.Data) {
		t.Fatalf("delivered %+v, listed %+v", delivered, events.Data)
	}
	var issued heldReward
	if err := json.Unmarshal(delivered.Data, &issued); err != nil {
		t.Fatal(err)
	}
	if issued.ID != held.ID || issued.Status != referral.Issued || issued.Code == nil || issued.HeldUntil != nil || !issued.IssuedAt.After(until) {
		t.Fatalf("reward.issued data = %s", delivered.Data)
	}
	mustDo(t, p.Client, "GET", "/v1/rewards?status=issued", nil, 200, &rewards)
	if len(rewards.Data) != 1 || rewards.Data[0].Code == nil || *rewards.Data[0].Code != *issued.Code {
		t.Fatalf("issued rewards = %+v, want the released one", rewards.Data)
	}
	mustDo(t, p.Client, "POST", "/v1/rewards/"+*issued.Code+"/redeem", nil, 200, nil)

	var emails int
	if err := s.App.DB.SQL().QueryRow("SELECT COUNT(*) FROM messages WHERE kind = '" + referral.RewardEarned + "'").Scan(&emails); err != nil {
		t.Fatal(err)
	}
	if emails != 1 {
		t.Errorf("%d reward emails, want 1: the released reward's", emails)
	}
}

// The release worker waits out a database that takes no writes: the reward stays pending,
// the server keeps running, and once writes come back the reward is issued, once.
func TestHeldRewardsWaitOutADatabaseThatTakesNoWrites(t *testing.T) {
	var ahead atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	s := mustServeWith(t, func(a *app.App) { a.Service.Clock = now })
	p := s.mustPractice(t, "Glow Aesthetics")
	if _, err := s.App.Service.UpdateRewardPolicy(t.Context(), p.Practice, referral.RewardPolicyChange{
		Kind: referral.DiscountCode, Amount: "50", AnnualCap: 10, HoldDays: 7}); err != nil {
		t.Fatal(err)
	}
	s.mustReferral(t, p, "fran@example.com")
	mustDo(t, p.Client, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-1", "email": "fran@example.com", "amount": "250.00"}, 201, nil)
	status := func() (status string) {
		t.Helper()
		// readOnly ends every session of the database on PostgreSQL, the test's pooled ones too:
		// the first query on each answers 57P01, and the pool then opens a new one.
		var err error
		for range 5 {
			if err = s.App.DB.SQL().QueryRow("SELECT status FROM rewards").Scan(&status); err == nil {
				return status
			}
		}
		t.Fatal(err)
		return ""
	}

	readOnly(t, s, true)
	ahead.Store(int64(8 * 24 * time.Hour))
	time.Sleep(300 * time.Millisecond) // many passes of the worker, each refused
	if got := status(); got != referral.Pending {
		t.Fatalf("reward is %s on a database that takes no writes, want pending", got)
	}
	readOnly(t, s, false)
	for deadline := time.Now().Add(10 * time.Second); status() != referral.Issued; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the reward was not issued within 10s of writes coming back")
		}
	}
	var events struct {
		Data []referral.Event `json:"data"`
	}
	if mustDo(t, p.Client, "GET", "/v1/events?type=reward.issued", nil, 200, &events); len(events.Data) != 1 {
		t.Errorf("%d reward.issued events, want 1", len(events.Data))
	}
}
