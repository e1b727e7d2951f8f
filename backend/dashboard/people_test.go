package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// mustAdvocate adds an advocate to p.
func (s *site) mustAdvocate(tb testing.TB, p *referral.Practice, name, email string) *referral.Advocate {
	tb.Helper()
	a, _, err := s.Service.CreateAdvocate(context.Background(), p, referral.NewAdvocate{Name: name, Email: email})
	if err != nil {
		tb.Fatalf("advocate %s: %v", name, err)
	}
	return a
}

// olderLink is the page's "Older" link, unescaped, or "".
func olderLink(body string) string {
	m := regexp.MustCompile(`href="([^"]+)">Older<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

func TestAdvocatesSearchByNameEmailOrCode(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	jane := s.mustAdvocate(t, p.Practice, "Jane Adams", "jane.adams@patients.example")
	s.mustAdvocate(t, p.Practice, "Bob Stone", "bob_stone@patients.example")
	desk := s.frontDesk(t, p)

	list := desk.get("/app/advocates")
	want(t, list, http.StatusOK, "Jane Adams", "jane.adams@patients.example", jane.Code, "Bob Stone", `aria-current="page">Advocates`)
	for _, q := range []string{"ADAMS", "jane.ad", strings.ToLower(jane.Code), " " + jane.Code + " "} {
		page := desk.get("/app/advocates?q=" + url.QueryEscape(q))
		want(t, page, http.StatusOK, "Jane Adams")
		if strings.Contains(page.Body, "Bob Stone") {
			t.Errorf("search %q found Bob Stone too", q)
		}
	}
	// LIKE's wildcards are taken as typed: "_" is not any character.
	want(t, desk.get("/app/advocates?q=e_a"), http.StatusOK, "No advocate matches")
	want(t, desk.get("/app/advocates?q=b_s"), http.StatusOK, "Bob Stone")
	want(t, desk.get("/app/advocates?q=%25"), http.StatusOK, "No advocate matches")
	want(t, desk.get("/app/advocates?q="+strings.Repeat("x", 201)), http.StatusOK, `id="q-error"`)
	want(t, desk.get("/app/advocates?status=disabled"), http.StatusOK, "No advocate matches")
}

func TestAdvocatesPaging(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	for i := range referral.DefaultPageSize + 2 {
		s.mustAdvocate(t, p.Practice, fmt.Sprintf("Patient %02d", i), fmt.Sprintf("patient%02d@patients.example", i))
	}
	first := p.Admin.get("/app/advocates?q=patient")
	want(t, first, http.StatusOK, "Patient 26", "Patient 02")
	if strings.Contains(first.Body, "Patient 01<") {
		t.Error("first page holds more than a page")
	}
	older := olderLink(first.Body)
	if !strings.Contains(older, "q=patient") {
		t.Fatalf("Older link %q lacks the search", older)
	}
	second := p.Admin.get(older)
	want(t, second, http.StatusOK, "Patient 01", "Patient 00")
	if strings.Contains(second.Body, "Patient 02<") || olderLink(second.Body) != "" {
		t.Error("second page repeats the first or goes on")
	}
	want(t, p.Admin.get("/app/advocates?cursor=adv_nonsense"), http.StatusUnprocessableEntity, "cursor")
}

func TestAdvocatePageShowsReferralsConversionsAndRewards(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	c := s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1")
	if _, _, err := s.Service.ClaimReferral(context.Background(), p.Practice, referral.NewReferral{
		AdvocateID: c.AdvocateID, FriendName: "Gus Green", FriendEmail: "gus@patients.example"}); err != nil {
		t.Fatal(err)
	}
	want(t, s.frontDesk(t, p).get("/app/advocates/"+c.AdvocateID), http.StatusOK, "<h1>Jane Adams</h1>",
		"janeadams@patients.example", c.AdvocateCode, "Fran Fischer", "Gus Green", "gus@patients.example",
		"paid invoice INV-1", c.Reward.Code, "Email them their link")
	want(t, p.Admin.get("/app/advocates/adv_nonsense"), http.StatusNotFound)
}

// Another practice's advocate is not found, to read or to change.
func TestAdvocatesOfAnotherPracticeAreNotFound(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	mine := s.mustPractice(t, "Glow")
	theirs := s.mustPractice(t, "Other Spa")
	a := s.mustAdvocate(t, theirs.Practice, "Jane Adams", "jane@patients.example")
	want(t, mine.Admin.get("/app/advocates/"+a.ID), http.StatusNotFound)
	for _, action := range []string{"disable", "enable", "send-link"} {
		want(t, mine.Admin.post("/app/advocates/"+a.ID+"/"+action, nil), http.StatusNotFound)
	}
	if body := mine.Admin.get("/app/advocates?q=jane").Body; strings.Contains(body, "Jane Adams") {
		t.Error("another practice's advocate is listed")
	}
	if body := mine.Admin.get("/app/referrals?q=jane").Body; strings.Contains(body, "Jane Adams") {
		t.Error("another practice's referrals are listed")
	}
	got, _ := s.Service.Advocate(context.Background(), theirs.Practice, a.ID)
	if got.Status != referral.Active {
		t.Fatalf("another practice's advocate is %s", got.Status)
	}
	if msgs, _, _ := s.Service.Messages(context.Background(), theirs.Practice, referral.MessageFilter{}, referral.Page{}); len(msgs) != 1 {
		t.Fatalf("%d messages in the other practice, want the welcome only", len(msgs))
	}
}

// Disabling turns a patient's link off and decides who holds the plan's places: an admin's
// decision. A form without the session's token changes nothing.
func TestDisableAndEnableAreForAdminsWithTheFormsToken(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	a := s.mustAdvocate(t, p.Practice, "Jane Adams", "jane@patients.example")
	desk := s.frontDesk(t, p)
	page := desk.get("/app/advocates/" + a.ID)
	if strings.Contains(page.Body, ">Disable<") {
		t.Error("the front desk is offered Disable")
	}
	want(t, desk.post("/app/advocates/"+a.ID+"/disable", nil), http.StatusForbidden, "Only an admin")
	p.Admin.get("/app/advocates/" + a.ID)
	want(t, p.Admin.post("/app/advocates/"+a.ID+"/disable", url.Values{"csrf": {"forged"}}), http.StatusForbidden, "expired")
	status := func() string {
		got, err := s.Service.Advocate(context.Background(), p.Practice, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	if st := status(); st != referral.Active {
		t.Fatalf("status %s after refused posts", st)
	}
	wantRedirect(t, p.Admin.post("/app/advocates/"+a.ID+"/disable", nil), "/app/advocates/"+a.ID+"?done=disabled")
	want(t, p.Admin.get("/app/advocates/"+a.ID+"?done=disabled"), http.StatusOK, "their place on the plan is free", ">Enable<")
	if st := status(); st != referral.Disabled {
		t.Fatalf("status %s, want disabled", st)
	}
	want(t, p.Admin.get("/app/advocates?status=disabled"), http.StatusOK, "Jane Adams")
	wantRedirect(t, p.Admin.post("/app/advocates/"+a.ID+"/enable", nil), "/app/advocates/"+a.ID+"?done=enabled")
	if st := status(); st != referral.Active {
		t.Fatalf("status %s, want active", st)
	}
}

// At the plan's limit the home page says what patients see and what the owner can do;
// disabling one advocate frees a place at once.
func TestPlanUsageAndDisablingFreesAPlace(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	ctx := context.Background()
	want(t, p.Admin.get("/app"), http.StatusOK, "0 of 100 advocates")
	var first *referral.Advocate
	for i := range referral.PlanWarningAt {
		a := s.mustAdvocate(t, p.Practice, fmt.Sprintf("Patient %03d", i), fmt.Sprintf("p%03d@patients.example", i))
		if first == nil {
			first = a
		}
	}
	home := p.Admin.get("/app")
	want(t, home, http.StatusOK, "<strong>80 of 100 advocates</strong>", `href="/app/upgrade"`)
	if strings.Contains(home.Body, "program is full") {
		t.Error("full banner at 80")
	}
	for i := referral.PlanWarningAt; i < referral.FreeAdvocateLimit; i++ {
		s.mustAdvocate(t, p.Practice, fmt.Sprintf("Patient %03d", i), fmt.Sprintf("p%03d@patients.example", i))
	}
	want(t, p.Admin.get("/app"), http.StatusOK, "Your referral program is full: 100 of 100 advocates",
		"The referral program is full right now", `href="/app/advocates?status=idle"`, `href="/app/upgrade"`)
	want(t, p.Admin.get("/app/upgrade"), http.StatusOK, "you have 100")
	if _, _, err := s.Service.CreateAdvocate(ctx, p.Practice, referral.NewAdvocate{Name: "Late Comer", Email: "late@patients.example"}); referral.ErrorCode(err) != referral.EPlanLimit {
		t.Fatalf("101st advocate: %v, want plan-limit", err)
	}

	p.Admin.get("/app/advocates/" + first.ID)
	wantRedirect(t, p.Admin.post("/app/advocates/"+first.ID+"/disable", nil), "/app/advocates/"+first.ID+"?done=disabled")
	want(t, p.Admin.get("/app"), http.StatusOK, "<strong>99 of 100 advocates</strong>")
	if _, _, err := s.Service.CreateAdvocate(ctx, p.Practice, referral.NewAdvocate{Name: "Late Comer", Email: "late@patients.example"}); err != nil {
		t.Fatalf("advocate after disabling one: %v", err)
	}
	// Now full again, enabling the disabled one would pass the limit.
	p.Admin.get("/app/advocates/" + first.ID)
	want(t, p.Admin.post("/app/advocates/"+first.ID+"/enable", nil), http.StatusUnprocessableEntity, "free plan holds 100")
}

func TestEmailAnAdvocateTheirLink(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	ctx := context.Background()
	a := s.mustAdvocate(t, p.Practice, "Jane Adams", "jane@patients.example")
	desk := s.frontDesk(t, p)
	desk.get("/app/advocates/" + a.ID)
	want(t, desk.post("/app/advocates/"+a.ID+"/send-link", url.Values{"csrf": {"forged"}}), http.StatusForbidden)
	wantRedirect(t, desk.post("/app/advocates/"+a.ID+"/send-link", nil), "/app/advocates/"+a.ID+"?done=sent")
	want(t, desk.get("/app/advocates/"+a.ID+"?done=sent"), http.StatusOK, `role="status"`, "It is in the Mailbox too")
	all, _, err := s.Service.Messages(ctx, p.Practice, referral.MessageFilter{}, referral.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []referral.Message // Jane's: the front desk's invitation is in the outbox too
	for _, m := range all {
		if m.To == a.Email {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) != 2 || msgs[0].Kind != referral.SignInEmail || msgs[0].To != a.Email ||
		!strings.Contains(msgs[0].Letter.SignInURL, "/p/"+p.Slug+"/sign-in?token=") || msgs[0].Letter.ReferralCode != a.Code {
		t.Fatalf("messages %+v, want the welcome and a sign-in link to %s with their code", msgs, a.Email)
	}
	want(t, desk.get("/app/mail"), http.StatusOK, "jane@patients.example")
	// The link signs the advocate in to their own page.
	token := msgs[0].Letter.SignInURL[strings.Index(msgs[0].Letter.SignInURL, "token=")+len("token="):]
	if _, err := s.Service.UseSignInLink(ctx, p.Practice, token); err != nil {
		t.Fatalf("the emailed link does not sign in: %v", err)
	}
	// A disabled advocate's link does not work: staff are told to enable them first.
	off := referral.Disabled
	if _, err := s.Service.UpdateAdvocate(ctx, p.Practice, a.ID, referral.AdvocateChange{Status: &off}); err != nil {
		t.Fatal(err)
	}
	want(t, desk.post("/app/advocates/"+a.ID+"/send-link", nil), http.StatusUnprocessableEntity, "Enable them first")
}

func TestReferralsSearchStatusAndAge(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	ctx := context.Background()
	c := s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1")
	bob := s.mustAdvocate(t, p.Practice, "Bob Stone", "bob@patients.example")
	if _, _, err := s.Service.ClaimReferral(ctx, p.Practice, referral.NewReferral{AdvocateID: bob.ID,
		FriendName: "Gus Green", FriendEmail: "gus@patients.example"}); err != nil {
		t.Fatal(err)
	}
	s.advance(12*24*time.Hour + time.Hour)
	desk := s.frontDesk(t, p)
	want(t, desk.get("/app/referrals"), http.StatusOK, "Gus Green", "gus@patients.example", "referred by", "Bob Stone",
		"pending 12 days", "Fran Fischer", "converted")
	for q, found := range map[string]string{"gus": "Gus Green", "FISCHER": "Fran Fischer", "stone": "Gus Green",
		"janeadams@": "Fran Fischer", strings.ToLower(c.AdvocateCode): "Fran Fischer", bob.Code: "Gus Green"} {
		page := desk.get("/app/referrals?q=" + url.QueryEscape(q))
		want(t, page, http.StatusOK, found)
		other := map[string]string{"Gus Green": "Fran Fischer", "Fran Fischer": "Gus Green"}[found]
		if strings.Contains(page.Body, other) {
			t.Errorf("search %q found %s too", q, other)
		}
	}
	if body := desk.get("/app/referrals?status=pending").Body; strings.Contains(body, "Fran Fischer") || !strings.Contains(body, "Gus Green") {
		t.Error("status filter ignored")
	}
	want(t, desk.get("/app/referrals?q=nobody"), http.StatusOK, "No referral matches")
	want(t, desk.get("/app/referrals?cursor=nonsense"), http.StatusUnprocessableEntity)
}

func TestReferralsPaging(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	a := s.mustAdvocate(t, p.Practice, "Jane Adams", "jane@patients.example")
	for i := range referral.DefaultPageSize + 1 {
		if _, _, err := s.Service.ClaimReferral(context.Background(), p.Practice, referral.NewReferral{AdvocateID: a.ID,
			FriendName: fmt.Sprintf("Friend %02d", i), FriendEmail: fmt.Sprintf("f%02d@patients.example", i)}); err != nil {
			t.Fatal(err)
		}
	}
	first := p.Admin.get("/app/referrals?status=pending")
	if strings.Contains(first.Body, "Friend 00 ") {
		t.Error("first page holds more than a page")
	}
	older := olderLink(first.Body)
	if !strings.Contains(older, "status=pending") {
		t.Fatalf("Older link %q lacks the filter", older)
	}
	want(t, p.Admin.get(older), http.StatusOK, "Friend 00 ")
}

// Staff find a patient's reward by the advocate's name or email, from the code's box.
func TestRewardsFoundByAdvocateNameOrEmail(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	jane := s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1").Reward.Code
	bob := s.mustConversion(t, p.Practice, "Bob Stone", "Gus Green", "INV-2").Reward.Code
	desk := s.frontDesk(t, p)
	for _, q := range []string{"adams", "JaneAdams@Patients", "jane a"} {
		page := desk.get("/app/rewards?code=" + url.QueryEscape(q))
		want(t, page, http.StatusOK, "Rewards found", jane, "janeadams@patients.example")
		if strings.Contains(page.Body, bob) {
			t.Errorf("search %q found Bob's reward too", q)
		}
	}
	// A code typed whole is the reward itself, ready to redeem.
	want(t, desk.get("/app/rewards?code="+strings.ToLower(bob)), http.StatusOK, `id="found-heading">`+bob, ">Redeem</button>")
	want(t, desk.get("/app/rewards?code=nobody"), http.StatusNotFound, "No reward has the code")
	want(t, desk.get("/app/rewards?code="+strings.Repeat("x", 201)), http.StatusOK, `id="code-error"`)
}

func TestSettleAClawback(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	other := s.mustPractice(t, "Other Spa")
	ctx := context.Background()
	code := s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1").Reward.Code
	unused := s.mustConversion(t, p.Practice, "Bob Stone", "Gus Green", "INV-2").Reward.Code
	if _, err := s.Service.RedeemReward(ctx, p.Practice, code); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Service.ReverseConversion(ctx, p.Practice, referral.RefundEvent{InvoiceID: "INV-1"}); err != nil {
		t.Fatal(err)
	}
	desk := s.frontDesk(t, p)
	want(t, desk.get("/app/rewards"), http.StatusOK, code+"</span> · $50 · Jane Adams", "Mark settled")
	want(t, desk.post("/app/rewards/settle-clawback", url.Values{"code": {code}, "csrf": {"forged"}}), http.StatusForbidden)
	other.Admin.get("/app/rewards")
	want(t, other.Admin.post("/app/rewards/settle-clawback", url.Values{"code": {code}}), http.StatusNotFound)
	want(t, desk.post("/app/rewards/settle-clawback", url.Values{"code": {unused}}), http.StatusUnprocessableEntity, "no clawback owed")
	owed, _, _ := s.Service.Rewards(ctx, p.Practice, referral.RewardFilter{ClawbackOwed: true}, referral.Page{})
	if len(owed) != 1 {
		t.Fatalf("%d clawbacks owed after refused posts, want 1", len(owed))
	}

	wantRedirect(t, desk.post("/app/rewards/settle-clawback", url.Values{"code": {strings.ToLower(code)}}), "/app/rewards?done=settled")
	page := desk.get("/app/rewards?done=settled")
	want(t, page, http.StatusOK, "Clawback settled")
	if strings.Contains(page.Body, code+"</span> · $50") {
		t.Error("a settled clawback is still listed")
	}
	found, _, err := s.Service.Rewards(ctx, p.Practice, referral.RewardFilter{Code: code}, referral.Page{})
	if err != nil || len(found) != 1 || found[0].ClawbackOwed || found[0].ClawbackSettledAt == nil || found[0].Status != referral.Redeemed {
		t.Fatalf("reward after settling: %+v %v", found, err)
	}
	// Settling twice (a double tap) changes nothing.
	at := *found[0].ClawbackSettledAt
	s.advance(time.Minute)
	wantRedirect(t, desk.post("/app/rewards/settle-clawback", url.Values{"code": {code}}), "/app/rewards?done=settled")
	again, _, _ := s.Service.Rewards(ctx, p.Practice, referral.RewardFilter{Code: code}, referral.Page{})
	if !again[0].ClawbackSettledAt.Equal(at) {
		t.Errorf("settled again at %v, first at %v", again[0].ClawbackSettledAt, at)
	}
}

// At the plan's limit the owner looks for advocates to disable: active ones who joined a while
// ago and referred no one since.
func TestAdvocatesWithNoRecentReferral(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	ctx := context.Background()
	quiet := s.mustAdvocate(t, p.Practice, "Quinn Quiet", "quinn@patients.example")
	busy := s.mustAdvocate(t, p.Practice, "Bea Busy", "bea@patients.example")
	gone := s.mustAdvocate(t, p.Practice, "Gil Gone", "gil@patients.example")
	off := referral.Disabled
	if _, err := s.Service.UpdateAdvocate(ctx, p.Practice, gone.ID, referral.AdvocateChange{Status: &off}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Service.ClaimReferral(ctx, p.Practice, referral.NewReferral{AdvocateID: quiet.ID,
		FriendName: "Old Friend", FriendEmail: "old@friends.example"}); err != nil {
		t.Fatal(err)
	}
	s.advance(referral.IdleAfter + 24*time.Hour)
	if _, _, err := s.Service.ClaimReferral(ctx, p.Practice, referral.NewReferral{AdvocateID: busy.ID,
		FriendName: "New Friend", FriendEmail: "new@friends.example"}); err != nil {
		t.Fatal(err)
	}
	s.mustAdvocate(t, p.Practice, "Nia New", "nia@patients.example")
	page := s.signIn(t, p.Email, password).get("/app/advocates?status=idle") // the old session has expired
	want(t, page, http.StatusOK, "Quinn Quiet", `value="idle" selected`)
	for _, name := range []string{"Bea Busy", "Gil Gone", "Nia New"} {
		if strings.Contains(page.Body, name) {
			t.Errorf("%s listed as idle", name)
		}
	}
}
