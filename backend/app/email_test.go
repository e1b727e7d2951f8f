package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/internal/mailtest"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// patient is a patient's browser: cookies kept, redirects shown rather than followed.
type patient struct {
	tb     testing.TB
	server *server
	client *http.Client
}

func (s *server) patient(tb testing.TB) *patient {
	jar, _ := cookiejar.New(nil)
	return &patient{tb: tb, server: s, client: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// follow opens a link from an email. Links carry the public URL, which here is a name the
// test does not resolve, so the request goes to the server itself with the link's path and query.
func (b *patient) follow(method, link string, form url.Values) (int, string, http.Header) {
	b.tb.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Host != "refer.example.com" {
		b.tb.Fatalf("link %q is not on the public URL", link)
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.server.URL+u.RequestURI(), body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	// The cookie jar keys cookies by the server's own address.
	res, err := b.client.Do(req)
	if err != nil {
		b.tb.Fatalf("%s %s: %v", method, link, err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(page), res.Header
}

func (b *patient) page(tb testing.TB, method, path string, form url.Values) (int, string) {
	tb.Helper()
	status, body, _ := b.follow(method, "https://refer.example.com"+path, form)
	return status, body
}

// linkTo finds the one link of a message that starts with prefix.
func linkTo(tb testing.TB, m *mailtest.Parsed, prefix string) string {
	tb.Helper()
	for _, l := range m.Links {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	tb.Fatalf("no link starting %q in %q: %v", prefix, m.Subject, m.Links)
	return ""
}

// checkEnvelope checks what every message carries, and the unsubscribe headers where they belong.
func checkEnvelope(tb testing.TB, m *mailtest.Parsed, to string, unsubscribe bool) {
	tb.Helper()
	if len(m.To) != 1 || m.To[0].Address != to {
		tb.Errorf("%q went to %v, want %s", m.Subject, m.To, to)
	}
	if m.From == nil || m.From.Name != "Glow Mail via AdvocateLoop" || m.From.Address != "rewards@refer.example.com" {
		tb.Errorf("%q is from %v", m.Subject, m.From)
	}
	if len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != "front@glowmail.example" {
		tb.Errorf("%q replies to %v, want the practice's address", m.Subject, m.ReplyTo)
	}
	if id := m.Header.Get("Message-Id"); !strings.HasPrefix(id, "<msg_") || !strings.HasSuffix(id, "@refer.example.com>") {
		tb.Errorf("%q has Message-ID %q", m.Subject, id)
	}
	if m.Text == "" || m.HTML == "" || !strings.Contains(m.Subject, "Glow Mail") {
		tb.Errorf("%q lacks a part or the practice's name", m.Subject)
	}
	list, post := m.Header.Get("List-Unsubscribe"), m.Header.Get("List-Unsubscribe-Post")
	if unsubscribe != (list != "") || unsubscribe != (post == "List-Unsubscribe=One-Click") {
		tb.Errorf("%q: List-Unsubscribe %q, List-Unsubscribe-Post %q; want them: %v", m.Subject, list, post, unsubscribe)
	}
}

// The whole loop through the real server and a real SMTP server: a patient joins and confirms
// from their inbox, a friend claims their invitation and pays, the advocate hears of the reward
// and sees it on their page, and every link followed from an email works.
func TestPatientsHearFromThePracticeByEmail(t *testing.T) {
	t.Parallel()
	inbox := mailtest.Start(t)
	s := mustServe(t, func(c *config.Config) {
		c.SMTPURL, c.MailFrom = inbox.URL(), "rewards@refer.example.com"
	})
	pr := s.mustPractice(t, "Glow Mail")
	ctx := context.Background()
	p, err := s.App.Service.UpdateSettings(ctx, pr.Practice, referral.PracticeSettings{
		BookingURL: "https://glowmail.example/book", ContactEmail: "front@glowmail.example",
		FriendOffer: referral.FriendOffer{Description: "20% off your first visit", WelcomeCode: "WELCOME20"}})
	if err != nil {
		t.Fatal(err)
	}
	slug := "/p/" + p.Slug

	// Jane joins on the hosted page and confirms from her inbox.
	jane := s.patient(t)
	if status, body := jane.page(t, "POST", slug, url.Values{"name": {"Jane Avery"}, "email": {"Jane@Example.com"}}); status != 200 || !strings.Contains(body, "Check your inbox") {
		t.Fatalf("join = %d:\n%s", status, body)
	}
	confirm := mailtest.MustParse(t, inbox.WaitFor(t, 1)[0].Raw)
	checkEnvelope(t, confirm, "jane@example.com", false)
	link := linkTo(t, confirm, "https://refer.example.com"+slug+"/sign-in?token=")
	for range 2 { // opening the link, as a mail scanner does, spends nothing
		if status, body, _ := jane.follow("GET", link, nil); status != 200 || !strings.Contains(body, "Confirm and get my link") {
			t.Fatalf("GET the join link = %d:\n%s", status, body)
		}
	}
	token, _ := url.Parse(link)
	status, _, header := jane.follow("POST", "https://refer.example.com"+slug+"/sign-in", url.Values{"token": {token.Query().Get("token")}})
	if status != http.StatusSeeOther || header.Get("Location") != slug+"/me" {
		t.Fatalf("confirming = %d to %q", status, header.Get("Location"))
	}
	advocates, _, err := s.App.Service.Advocates(ctx, p, referral.AdvocateFilter{Email: "jane@example.com"}, referral.Page{})
	if err != nil || len(advocates) != 1 {
		t.Fatalf("after confirming, advocates = %v, %v", advocates, err)
	}
	code := advocates[0].Code
	if status, body := jane.page(t, "GET", slug+"/me", nil); status != 200 || !strings.Contains(body, code) {
		t.Fatalf("Jane's page = %d, without her code %s:\n%s", status, code, body)
	}

	// Her welcome holds her link and code, and the link invites a friend.
	welcome := mailtest.MustParse(t, inbox.WaitFor(t, 2)[1].Raw)
	checkEnvelope(t, welcome, "jane@example.com", true)
	invitation := linkTo(t, welcome, "https://refer.example.com/r/"+code)
	if !strings.Contains(welcome.Text, code) || !strings.Contains(welcome.HTML, code) {
		t.Errorf("the welcome lacks the code %s", code)
	}

	// Fran claims Jane's invitation and gets the offer by email; Jane is not named to her.
	fran := s.patient(t)
	if status, body, _ := fran.follow("GET", invitation, nil); status != 200 || !strings.Contains(body, "20% off your first visit") {
		t.Fatalf("the invitation = %d:\n%s", status, body)
	}
	if status, body := fran.page(t, "POST", "/r/"+code, url.Values{"name": {"Franziska Fieldhouse"}, "email": {"fran@example.com"}}); status != 200 || strings.Contains(body, "WELCOME20") {
		t.Fatalf("the claim = %d (the welcome code goes by email only):\n%s", status, body)
	}
	offer := mailtest.MustParse(t, inbox.WaitFor(t, 3)[2].Raw)
	checkEnvelope(t, offer, "fran@example.com", true)
	for _, want := range []string{"WELCOME20", "20% off your first visit", "https://glowmail.example/book"} {
		if !strings.Contains(offer.Text, want) || !strings.Contains(offer.HTML, want) {
			t.Errorf("the friend's welcome lacks %q", want)
		}
	}
	if strings.Contains(offer.Text+offer.HTML, "Jane") {
		t.Error("the friend's welcome names the advocate")
	}

	// Fran pays; the Zap's replays and retries, some at once, reward once and email once.
	ev := map[string]any{"invoice_id": "INV-77321", "email": "fran@example.com", "name": "Franziska Fieldhouse", "amount": "987.65"}
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res := pr.Client.Do("POST", "/v1/conversions", ev); res.Status != 201 && res.Status != 200 {
				t.Errorf("Record Conversion = %d: %s", res.Status, res.Body)
			}
		}()
	}
	wg.Wait()
	s.settleMail(t)
	received := inbox.WaitFor(t, 4)
	if len(received) != 4 {
		t.Fatalf("%d messages after 10 copies of one payment, want one more: the reward", len(received))
	}
	reward := mailtest.MustParse(t, received[3].Raw)
	checkEnvelope(t, reward, "jane@example.com", true)
	rewards, _, _ := s.App.Service.Rewards(ctx, p, referral.RewardFilter{}, referral.Page{})
	if len(rewards) != 1 || !strings.Contains(reward.Text, rewards[0].Code) || !strings.Contains(reward.HTML, rewards[0].Code) {
		t.Fatalf("the reward email lacks the reward's code (%v)", rewards)
	}
	for _, secret := range []string{"Franziska", "Fieldhouse", "fran@", "987.65", "INV-77321"} {
		if strings.Contains(reward.Text+reward.HTML+reward.Subject, secret) {
			t.Errorf("the reward email tells the advocate %q", secret)
		}
	}
	if status, body, _ := jane.follow("GET", linkTo(t, reward, "https://refer.example.com"+slug+"/me"), nil); status != 200 || !strings.Contains(body, rewards[0].Code) {
		t.Errorf("Jane's page from the email = %d, without the reward:\n%s", status, body)
	}

	// One click in her mail app stops the practice's emails: the refund's note is not sent.
	stop := linkTo(t, reward, "https://refer.example.com"+slug+"/unsubscribe?token=")
	if reward.Header.Get("List-Unsubscribe") != "<"+stop+">" {
		t.Errorf("List-Unsubscribe = %q, want <%s>", reward.Header.Get("List-Unsubscribe"), stop)
	}
	mailApp := s.patient(t) // no cookies, no CSRF token: RFC 8058
	if status, body, _ := mailApp.follow("POST", stop, url.Values{"List-Unsubscribe": {"One-Click"}}); status != 200 {
		t.Fatalf("one-click unsubscribe = %d:\n%s", status, body)
	}
	mustDo(t, pr.Client, "POST", "/v1/conversions/reverse", map[string]any{"invoice_id": "INV-77321"}, 200, nil)
	s.settleMail(t)
	if n := len(inbox.Messages()); n != 4 {
		t.Errorf("%d messages after unsubscribing and a refund, want still 4", n)
	}

	// What staff see: each message sent, one-time links no longer kept.
	list, _, err := s.App.Service.Messages(ctx, p, referral.MessageFilter{}, referral.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range list {
		got = append(got, fmt.Sprintf("%s:%s", m.Kind, m.Status))
		if m.Status == referral.MessageSent && (m.Letter.SignInURL != "" || m.Letter.UnsubscribeURL != "") {
			t.Errorf("a sent %s still keeps its one-time link", m.Kind)
		}
	}
	want := "reward_voided:cancelled reward_earned:sent friend_welcome:sent advocate_welcome:sent join_confirm:sent"
	if strings.Join(got, " ") != want {
		t.Errorf("mailbox = %v, want %s", got, want)
	}
}
