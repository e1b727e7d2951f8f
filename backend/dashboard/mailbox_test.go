package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// messageLink finds the mailbox's link to the first message of a kind.
func messageLink(tb testing.TB, body, label string) string {
	tb.Helper()
	m := regexp.MustCompile(`href="(/app/mail/msg_[0-9A-Z]+)">` + label + `<`).FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no %q message in the mailbox:\n%s", label, body)
	}
	return m[1]
}

func TestMailboxShowsWhatPatientsAreSent(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	c := s.mustConversion(t, p.Practice, "Jane Adams", "Fran Fischer", "INV-1001")

	box := p.Admin.get("/app/mail")
	want(t, box, http.StatusOK, "Email is not being delivered", "janeadams@patients.example", "Reward earned", "Advocate welcome",
		"Friend welcome", "Queued")
	for _, page := range []string{"/app", "/app/rewards", "/app/settings"} {
		want(t, p.Admin.get(page), http.StatusOK, "Email is not being delivered")
	}

	link := messageLink(t, box.Body, "Reward earned")
	msg := p.Admin.get(link)
	want(t, msg, http.StatusOK, "Your reward from Glow", c.Reward.Code, "Plain text part", `src="`+link+`/html"`,
		"Links in this message", "/p/"+p.Slug+"/me")
	if strings.Contains(msg.Body, "Fran") || strings.Contains(msg.Body, "INV-1001") {
		t.Error("the reward email describes the friend")
	}
	html := p.Admin.get(link + "/html")
	want(t, html, http.StatusOK, c.Reward.Code)
	if csp := html.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("the HTML part's policy = %q, want a sandbox that runs nothing", csp)
	}
	if xfo := html.Header.Get("X-Frame-Options"); xfo != "SAMEORIGIN" {
		t.Errorf("the HTML part's X-Frame-Options = %q, want SAMEORIGIN: the message page frames it", xfo)
	}
	if csp := msg.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src 'self'") {
		t.Errorf("the message page's policy = %q, want it to frame the HTML part", csp)
	}

	// The front desk reads it too; another practice does not find it.
	want(t, s.frontDesk(t, p).get(link), http.StatusOK, c.Reward.Code)
	other := s.mustPractice(t, "Other")
	want(t, other.Admin.get(link), http.StatusNotFound)
	want(t, other.Admin.get(link+"/html"), http.StatusNotFound)
	if strings.Contains(other.Admin.get("/app/mail").Body, "janeadams@patients.example") {
		t.Error("another practice's mailbox lists this practice's messages")
	}
}

func TestMailboxSendsAFailedMessageAgain(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	ctx := context.Background()
	if _, _, err := s.Service.CreateAdvocate(ctx, p.Practice, referral.NewAdvocate{Name: "Jane Adams", Email: "jane@patients.example"}); err != nil {
		t.Fatal(err)
	}
	// What the mail worker records when the server refuses for good.
	db := s.Service.Store.(*storage.DB)
	claimed, err := db.ClaimMessages(ctx, s.now(), s.now().Add(time.Minute), 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	if err := db.RecordMessage(ctx, referral.MessageResult{ID: claimed[0].ID, Status: referral.MessageFailed,
		Error: "550 5.1.1 mailbox unavailable", At: s.now()}); err != nil {
		t.Fatal(err)
	}
	box := p.Admin.get("/app/mail?status=failed")
	want(t, box, http.StatusOK, "Failed", "550 5.1.1 mailbox unavailable")
	link := messageLink(t, box.Body, "Advocate welcome")
	want(t, p.Admin.get(link), http.StatusOK, "Send again")
	wantRedirect(t, p.Admin.post(link+"/send-again", nil), link+"?done=queued")
	want(t, p.Admin.get(link+"?done=queued"), http.StatusOK, "Queued again")
	if m, err := s.Service.Message(ctx, p.Practice, strings.TrimPrefix(link, "/app/mail/")); err != nil || m.Status != referral.MessageQueued {
		t.Fatalf("after Send again: %+v, %v", m, err)
	}
	// Only a failed message goes again.
	want(t, p.Admin.post(link+"/send-again", nil), http.StatusUnprocessableEntity, "Only a message that failed")
}

func TestSettingsReplyToAddress(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow")
	want(t, p.Admin.get("/app/settings"), http.StatusOK, `value="`+p.Email+`"`) // the first admin's, to start
	wantRedirect(t, p.Admin.post("/app/settings/email", url.Values{"contact_email": {" Front@Glow.example "}}), "/app/settings?done=saved")
	got, _ := s.Service.PracticeBySlug(context.Background(), p.Slug)
	if got.ContactEmail != "front@glow.example" {
		t.Fatalf("contact email = %q", got.ContactEmail)
	}
	want(t, p.Admin.post("/app/settings/email", url.Values{"contact_email": {"not an email"}}), http.StatusUnprocessableEntity,
		`id="contact_email-error"`)
}
