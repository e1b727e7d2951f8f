package dashboard_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

func TestHomeShowsTheFeedAndLeaderboard(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	c := s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1001")
	s.mustConversion(t, p.Practice, "Jane Adams", "Gus Green", "INV-1002")
	home := p.Admin.get("/app")
	want(t, home, http.StatusOK, "Fran F. paid invoice INV-1001 → Jane A. earned <span class=\"code\">"+c.Reward.Code+"</span> ($50)",
		" · $250 · paid invoice</span>", "Top advocates", "This month", "Jane Adams — 2")
	if strings.Index(home.Body, "INV-1002") > strings.Index(home.Body, "INV-1001") {
		t.Error("feed is not newest first")
	}
	want(t, p.Admin.get("/app?status=reversed"), http.StatusOK, "No conversions yet", `<a href="/app/conversions/new">mark a conversion</a>`)
	future := time.Now().AddDate(0, 0, 2).Format("2006-01-02")
	if body := p.Admin.get("/app?from=" + future).Body; strings.Contains(body, "INV-1001") {
		t.Error("from filter ignored")
	}
	want(t, p.Admin.get("/app?from=nonsense"), http.StatusOK, `id="from-error"`)
}

func TestHomePaginates(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	for i := range referral.DefaultPageSize + 1 {
		s.mustConversion(t, p.Practice, "Jane Adams", "Friend Number", "INV-"+string(rune('A'+i)))
	}
	home := p.Admin.get("/app")
	older := regexp.MustCompile(`href="(/app\?cursor=[^"]+)">Older`).FindStringSubmatch(home.Body)
	if older == nil {
		t.Fatal("no Older link")
	}
	want(t, p.Admin.get(strings.ReplaceAll(older[1], "&amp;", "&")), http.StatusOK, "INV-A")
}

func TestRewardsLookUpRedeemAndUndo(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	code := s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1").Reward.Code
	desk := s.frontDesk(t, p)
	want(t, desk.get("/app/rewards?code="+strings.ToLower(code)), http.StatusOK, code, "Jane Adams", "issued", ">Redeem</button>")
	wantRedirect(t, desk.post("/app/rewards/redeem", url.Values{"code": {code}}), "/app/rewards?done=redeemed&code="+code)
	want(t, desk.get("/app/rewards?done=redeemed&code="+code), http.StatusOK, `role="status"`, "redeemed", ">Undo</button>")
	// Redeeming twice says so.
	want(t, desk.post("/app/rewards/redeem", url.Values{"code": {code}}), http.StatusUnprocessableEntity, "already redeemed")
	wantRedirect(t, desk.post("/app/rewards/undo", url.Values{"code": {code}}), "/app/rewards?done=undone&code="+code)
	want(t, desk.get("/app/rewards?code="+code), http.StatusOK, "issued")
	// After five minutes a redemption stays.
	desk.post("/app/rewards/redeem", url.Values{"code": {code}})
	s.advance(referral.UndoWindow + time.Second)
	if body := desk.get("/app/rewards?code=" + code).Body; strings.Contains(body, ">Undo<") {
		t.Error("Undo offered after the window")
	}
	want(t, desk.post("/app/rewards/undo", url.Values{"code": {code}}), http.StatusUnprocessableEntity, "can no longer be undone")
	want(t, desk.get("/app/rewards?code=AL-NOPE2345"), http.StatusNotFound, "No reward has the code")
}

func TestRewardsOfAnotherPracticeAreNotFound(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	mine := s.mustPractice(t, "Glow")
	theirs := s.mustPractice(t, "Other Spa")
	code := s.mustConversion(t, theirs.Practice, "Jane Adams", "Fran Fischer", "INV-1").Reward.Code
	want(t, mine.Admin.get("/app/rewards?code="+code), http.StatusNotFound)
	want(t, mine.Admin.post("/app/rewards/redeem", url.Values{"code": {code}}), http.StatusNotFound)
	want(t, mine.Admin.post("/app/rewards/undo", url.Values{"code": {code}}), http.StatusNotFound)
}

func TestWalletCreditTasksAndClawbacks(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	ctx := context.Background()
	updated, err := s.Service.UpdateRewardPolicy(ctx, p.Practice, referral.RewardPolicyChange{Kind: referral.WalletCredit, Amount: "50", AnnualCap: 10})
	if err != nil {
		t.Fatal(err)
	}
	p.Practice = updated
	wallet := s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1").Reward.Code
	page := p.Admin.get("/app/rewards")
	want(t, page, http.StatusOK, "Add $50 to Jane Adams's AR Patient Wallet", "janeadams@patients.example", "Mark credited")
	p.Admin.post("/app/rewards/redeem", url.Values{"code": {wallet}})
	if strings.Contains(p.Admin.get("/app/rewards").Body, "AR Patient Wallet <") {
		t.Error("credited reward still listed as a task")
	}
	// A refund after the credit was used leaves a clawback owed.
	if _, err := s.Service.ReverseConversion(ctx, p.Practice, referral.RefundEvent{InvoiceID: "INV-1"}); err != nil {
		t.Fatal(err)
	}
	want(t, p.Admin.get("/app/rewards"), http.StatusOK, "Clawbacks owed", `<span class="code">`+wallet+"</span> · $50 · Jane Adams")
}

func TestMarkAConversion(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	ctx := context.Background()
	a, _, _ := s.Service.CreateAdvocate(ctx, p.Practice, referral.NewAdvocate{Name: "Jane Adams", Email: "janeadams@patients.example"})
	ref, _, err := s.Service.ClaimReferral(ctx, p.Practice, referral.NewReferral{AdvocateID: a.ID, FriendName: "Fran <b>Fischer</b>", FriendEmail: "fran@patients.example"})
	if err != nil {
		t.Fatal(err)
	}
	desk := s.frontDesk(t, p)
	page := desk.get("/app/conversions/new?q=FRAN")
	want(t, page, http.StatusOK, "Search referrals", "Fran &lt;b&gt;Fischer&lt;/b&gt;", "Mark converted", `<label for="invoice_id">Invoice ID</label>`)
	if strings.Contains(desk.get("/app/conversions/new?q=nobody").Body, ref.ID) {
		t.Error("search ignored")
	}
	want(t, desk.post("/app/conversions", url.Values{"referral_id": {ref.ID}, "amount": {"abc"}}), http.StatusUnprocessableEntity, `id="amount-error"`)
	wantRedirect(t, desk.post("/app/conversions", url.Values{"referral_id": {ref.ID}, "invoice_id": {"INV-77"}, "amount": {"120.00"}}), "/app?converted=1")
	want(t, desk.get("/app?converted=1"), http.StatusOK, "Conversion recorded", "paid invoice INV-77 → Jane A. earned <span class=\"code\">AL-", " · $120 · marked by hand</span>")
	want(t, desk.post("/app/conversions", url.Values{"referral_id": {ref.ID}}), http.StatusUnprocessableEntity)

	other := s.mustPractice(t, "Other Spa")
	want(t, other.Admin.post("/app/conversions", url.Values{"referral_id": {ref.ID}}), http.StatusNotFound)
}

func TestNearMissesConfirmAndDismiss(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	ctx := context.Background()
	a, _, _ := s.Service.CreateAdvocate(ctx, p.Practice, referral.NewAdvocate{Name: "Jane Adams", Email: "janeadams@patients.example"})
	nearMiss := func(friend, invoice string) string {
		email := strings.ToLower(strings.Fields(friend)[0])
		s.Service.ClaimReferral(ctx, p.Practice, referral.NewReferral{AdvocateID: a.ID, FriendName: friend, FriendEmail: email + "@patients.example"})
		res, err := s.Service.RecordConversion(ctx, p.Practice, referral.PaymentEvent{InvoiceID: invoice, Email: email + ".other@mail.example", Name: friend, Amount: "80"})
		if err != nil || res.Outcome != referral.OutcomeNearMiss {
			t.Fatalf("near-miss: %v %+v", err, res)
		}
		list, _, _ := s.Service.NearMisses(ctx, p.Practice, referral.Page{})
		return list[0].ID
	}
	first := nearMiss("Fran Fischer", "INV-1")
	want(t, p.Admin.get("/app/near-misses"), http.StatusOK, "fran.other@mail.example", "Fran Fischer", ">Confirm</button>", ">Dismiss</button>")
	other := s.mustPractice(t, "Other Spa")
	want(t, other.Admin.post("/app/near-misses/"+first+"/confirm", nil), http.StatusNotFound)
	want(t, other.Admin.post("/app/near-misses/"+first+"/dismiss", nil), http.StatusNotFound)
	wantRedirect(t, p.Admin.post("/app/near-misses/"+first+"/confirm", nil), "/app/near-misses?done=confirmed")
	want(t, p.Admin.get("/app"), http.StatusOK, "Fran F. paid invoice INV-1")
	second := nearMiss("Gus Green", "INV-2")
	wantRedirect(t, p.Admin.post("/app/near-misses/"+second+"/dismiss", nil), "/app/near-misses?done=dismissed")
	want(t, p.Admin.get("/app/near-misses"), http.StatusOK, "Nothing to review")
}

func TestReportsLiabilityChartAndCSV(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1")
	c := s.mustConversion(t, p.Practice, "=HYPERLINK(1) Bob", "Gus Green", "INV-2")
	want(t, p.Admin.get("/app/reports"), http.StatusOK, `<strong id="liability-total">$100</strong>`, "<svg", "<title id=\"chart-title\">",
		"2 conversions, $500", "Download conversions CSV", "Download rewards CSV")
	p.Admin.post("/app/rewards/redeem", url.Values{"code": {c.Reward.Code}})
	want(t, p.Admin.get("/app/reports"), http.StatusOK, `<strong id="liability-total">$50</strong>`)

	res := p.Admin.get("/app/reports/conversions.csv")
	want(t, res, http.StatusOK, "INV-1", "Fran Fischer")
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][2] != "invoice_id" {
		t.Fatalf("conversions CSV %v %q", err, res.Body)
	}
	if !strings.Contains(res.Body, "'=HYPERLINK") {
		t.Error("a formula in a name was not neutralised")
	}
	rewards := p.Admin.get("/app/reports/rewards.csv")
	want(t, rewards, http.StatusOK, c.Reward.Code, "redeemed")
	other := s.mustPractice(t, "Other Spa")
	if body := other.Admin.get("/app/reports/conversions.csv").Body; strings.Contains(body, "INV-1") {
		t.Error("another practice's conversions exported")
	}
}

func TestSettingsAPIKeysAndWebhookSecret(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	want(t, p.Admin.get("/app/settings"), http.StatusOK, "Reward policy", "API keys", "Create API key", "Webhook secret",
		"Hook subscriptions", "Widget snippet", "Connect Aesthetic Record", "/widget.js",
		// The practice's own webhook URLs, in full, each with its copy button.
		`id="payments-url" type="text" readonly value="`+s.URL+"/v1/webhooks/"+p.ID+`/payments"`, `data-copy="payments-url"`,
		`id="refunds-url" type="text" readonly value="`+s.URL+"/v1/webhooks/"+p.ID+`/refunds"`, `data-copy="refunds-url"`)
	page := p.Admin.post("/app/settings/api-keys", nil)
	key := regexp.MustCompile(`id="new-key" type="text" readonly value="(al_live_[A-Za-z0-9]{32})"`).FindStringSubmatch(page.Body)
	if key == nil {
		t.Fatalf("no new key shown:\n%s", page.Body)
	}
	want(t, page, http.StatusOK, "New API key")
	if strings.Contains(p.Admin.get("/app/settings").Body, key[1]) {
		t.Fatal("the key is shown again")
	}
	ctx := context.Background()
	if _, err := s.Service.Authenticate(ctx, key[1]); err != nil {
		t.Fatalf("new key: %v", err)
	}
	keys, _ := s.Service.APIKeys(ctx, p.Practice)
	other := s.mustPractice(t, "Other Spa")
	want(t, other.Admin.post("/app/settings/api-keys/"+keys[0].ID+"/revoke", nil), http.StatusNotFound)
	wantRedirect(t, p.Admin.post("/app/settings/api-keys/"+keys[0].ID+"/revoke", nil), "/app/settings?done=revoked")
	if _, err := s.Service.Authenticate(ctx, key[1]); err == nil {
		t.Fatal("revoked key still works")
	}
	old := p.WebhookSecret
	wantRedirect(t, p.Admin.post("/app/settings/webhook-secret", nil), "/app/settings?done=rotated")
	page = p.Admin.get("/app/settings?done=rotated")
	if strings.Contains(page.Body, old) {
		t.Error("old secret still shown")
	}
}

func TestSettingsRewardPolicyAndBranding(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	wantRedirect(t, p.Admin.post("/app/settings/reward", url.Values{"kind": {"wallet_credit"}, "amount": {"75"}, "minimum": {"100"},
		"annual_cap": {"3"}, "offer": {"20% off <b>first</b> visit"}, "welcome_code": {"WELCOME20"}}), "/app/settings?done=saved")
	got, _ := s.Service.PracticeBySlug(context.Background(), p.Slug)
	if got.Reward.Kind != referral.WalletCredit || got.Reward.Amount.Minor != 7500 || got.Reward.AnnualCap != 3 || got.Offer.WelcomeCode != "WELCOME20" {
		t.Fatalf("policy not saved: %+v %+v", got.Reward, got.Offer)
	}
	want(t, p.Admin.get("/app/settings"), http.StatusOK, "20% off &lt;b&gt;first&lt;/b&gt; visit")
	want(t, p.Admin.post("/app/settings/reward", url.Values{"kind": {"cash"}, "amount": {"-1"}, "annual_cap": {"x"}}),
		http.StatusUnprocessableEntity, `id="annual_cap-error"`)
	want(t, p.Admin.post("/app/settings/reward", url.Values{"kind": {"discount_code"}, "amount": {"-1"}, "annual_cap": {"2"}}),
		http.StatusUnprocessableEntity, `id="amount-error"`)
	wantRedirect(t, p.Admin.post("/app/settings/branding", url.Values{"color": {"#112233"}, "booking_url": {"https://book.example"},
		"origins": {"https://glow.example\nhttps://www.glow.example"}}), "/app/settings?done=saved")
	want(t, p.Admin.post("/app/settings/branding", url.Values{"color": {"red;}"}, "origins": {"not an origin"}}),
		http.StatusUnprocessableEntity, `id="color-error"`, `id="origins-error"`)
	got, _ = s.Service.PracticeBySlug(context.Background(), p.Slug)
	if got.BrandColor != "#112233" || len(got.AllowedOrigins) != 2 {
		t.Fatalf("branding: %+v", got)
	}
}

func TestStaffInvites(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	want(t, p.Admin.get("/app/staff"), http.StatusOK, p.Email, "Invite")
	page := p.Admin.post("/app/staff", url.Values{"email": {"Desk@Glow.example"}, "role": {"front_desk"}})
	link := regexp.MustCompile(`id="setup-link" type="text" readonly value="[^"]*(/setup/[A-Za-z0-9]+)"`).FindStringSubmatch(page.Body)
	if link == nil {
		t.Fatalf("no set-up link:\n%s", page.Body)
	}
	want(t, page, http.StatusOK, "desk@glow.example", "Invited")
	want(t, p.Admin.post("/app/staff", url.Values{"email": {p.Email}, "role": {"admin"}}), http.StatusUnprocessableEntity, "already has an account")
	want(t, p.Admin.post("/app/staff", url.Values{"email": {"x@glow.example"}, "role": {"owner"}}), http.StatusUnprocessableEntity, `id="role-error"`)
	b := s.browser(t)
	b.get(link[1])
	wantRedirect(t, b.post(link[1], url.Values{"password": {password}, "confirm": {password}}), "/app")
	want(t, b.get("/app/staff"), http.StatusForbidden)
}
