package referral_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// mustMessages lists every message of the practice, oldest first.
func mustMessages(tb testing.TB, s *referral.Service, p *referral.Practice) []referral.Message {
	tb.Helper()
	var list []referral.Message
	for cursor := ""; ; {
		page, next, err := s.Messages(context.Background(), p, referral.MessageFilter{}, referral.Page{Limit: referral.MaxPageSize, Cursor: cursor})
		if err != nil {
			tb.Fatal(err)
		}
		if list = append(list, page...); next == "" {
			break
		}
		cursor = next
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

// kindsTo lists the kinds of the messages to one address, oldest first, with their statuses.
func kindsTo(list []referral.Message, to string) []string {
	var out []string
	for _, m := range list {
		if m.To == to {
			out = append(out, m.Kind+":"+m.Status)
		}
	}
	return out
}

func equal(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

// tokenOf reads the token of a one-time link.
func tokenOf(tb testing.TB, link string) string {
	tb.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		tb.Fatalf("no token in %q", link)
	}
	return u.Query().Get("token")
}

func TestEveryChangeQueuesItsMessageOnce(t *testing.T) {
	s, _ := mustService(t)
	ctx := context.Background()
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	// The same claim and the same advocate again cause nothing new.
	if _, _, err := s.ClaimReferral(ctx, p, referral.NewReferral{ReferralCode: jane.Code, FriendName: "Fran Fields", FriendEmail: "fran@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, created, err := s.CreateAdvocate(ctx, p, referral.NewAdvocate{Name: "Jane Park", Email: "jane@example.com"}); err != nil || created {
		t.Fatalf("CreateAdvocate again = %v, %v", created, err)
	}

	ev := referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@example.com", Amount: "987.65"}
	var wg sync.WaitGroup
	for range 10 { // replays, some at the same moment, as Zapier and the webhook both send
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.RecordConversion(ctx, p, ev); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for range 20 {
		mustRecord(t, s, p, ev)
	}

	list := mustMessages(t, s, p)
	if got, want := kindsTo(list, "jane@example.com"), []string{"advocate_welcome:queued", "reward_earned:queued"}; !equal(got, want) {
		t.Errorf("messages to the advocate = %v, want %v", got, want)
	}
	if got, want := kindsTo(list, "fran@example.com"), []string{"friend_welcome:queued"}; !equal(got, want) {
		t.Errorf("messages to the friend = %v, want %v", got, want)
	}
	res := mustRecord(t, s, p, ev)
	earned := list[len(list)-1].Letter
	if earned.RewardCode != res.Conversion.Reward.Code || earned.RewardAmount != "$50" || earned.FirstName != "Jane" {
		t.Errorf("reward letter = %+v, want code %s, $50, Jane", earned, res.Conversion.Reward.Code)
	}
	if !strings.HasPrefix(earned.UnsubscribeURL, "https://refer.example/p/"+p.Slug+"/unsubscribe?token=") ||
		earned.PageURL != "https://refer.example/p/"+p.Slug+"/me" {
		t.Errorf("reward letter links = %q, %q", earned.UnsubscribeURL, earned.PageURL)
	}
}

func TestLettersNeverDescribeTheFriend(t *testing.T) {
	s, _ := mustService(t)
	ctx := context.Background()
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Franziska Fieldhouse", "franziska@example.com")
	mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-77321", Email: "franziska@example.com", Amount: "987.65"})
	if _, err := s.ReverseConversion(ctx, p, referral.RefundEvent{InvoiceID: "INV-77321"}); err != nil {
		t.Fatal(err)
	}
	for _, m := range mustMessages(t, s, p) {
		if m.To != "jane@example.com" {
			continue
		}
		letter := referral.MarshalLetter(m.Letter)
		for _, secret := range []string{"Franziska", "Fieldhouse", "franziska@", "987.65", "INV-77321"} {
			if strings.Contains(letter, secret) {
				t.Errorf("%s to the advocate holds %q: %s", m.Kind, secret, letter)
			}
		}
	}
}

func TestVoidedRewardCancelsItsUnsentEmailOrFollowsIt(t *testing.T) {
	s, _ := mustIsolatedService(t) // the worker's claim spans every practice
	ctx := context.Background()
	db := s.Store.(interface {
		ClaimMessages(ctx context.Context, now, leaseUntil time.Time, limit int) ([]referral.Message, error)
		RecordMessage(ctx context.Context, r referral.MessageResult) error
	})
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	mustReferral(t, s, p, jane, "Gil Gray", "gil@example.com")

	// Refunded before the reward email left: it is cancelled, and nothing else is said.
	mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@example.com", Amount: "200"})
	if _, err := s.ReverseConversion(ctx, p, referral.RefundEvent{InvoiceID: "INV-1"}); err != nil {
		t.Fatal(err)
	}
	if got, want := kindsTo(mustMessages(t, s, p), "jane@example.com"), []string{"advocate_welcome:queued", "reward_earned:cancelled"}; !equal(got, want) {
		t.Fatalf("after a quick refund = %v, want %v", got, want)
	}

	// Refunded after it was sent: the advocate is told the reward was voided.
	mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-2", Email: "gil@example.com", Amount: "200"})
	now := s.Now()
	claimed, err := db.ClaimMessages(ctx, now, now.Add(time.Minute), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range claimed {
		redacted := m.Letter.Redacted()
		if err := db.RecordMessage(ctx, referral.MessageResult{ID: m.ID, Status: referral.MessageSent, At: now, Letter: &redacted}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ReverseConversion(ctx, p, referral.RefundEvent{InvoiceID: "INV-2"}); err != nil {
		t.Fatal(err)
	}
	list := mustMessages(t, s, p)
	want := []string{"advocate_welcome:sent", "reward_earned:cancelled", "reward_earned:sent", "reward_voided:queued"}
	if got := kindsTo(list, "jane@example.com"); !equal(got, want) {
		t.Fatalf("after a late refund = %v, want %v", got, want)
	}
	for _, m := range list {
		if m.Status == referral.MessageSent && m.Letter.UnsubscribeURL != "" {
			t.Errorf("a sent %s still keeps its unsubscribe link", m.Kind)
		}
	}
}

func TestStoppedEmails(t *testing.T) {
	s, _ := mustService(t)
	ctx := context.Background()
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	welcome := mustMessages(t, s, p)[0]
	token := tokenOf(t, welcome.Letter.UnsubscribeURL)

	if err := s.StopEmailsByLink(ctx, p, "not-a-token"); referral.ErrorCode(err) != referral.ENotFound {
		t.Errorf("StopEmailsByLink(wrong) = %v, want not-found", err)
	}
	other := mustPractice(t, s)
	if err := s.StopEmailsByLink(ctx, other, token); referral.ErrorCode(err) != referral.ENotFound {
		t.Errorf("another practice's StopEmailsByLink = %v, want not-found", err)
	}
	for range 2 { // a second click changes nothing
		if err := s.StopEmailsByLink(ctx, p, token); err != nil {
			t.Fatal(err)
		}
	}
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@example.com", Amount: "200"})
	if err := s.RequestSignIn(ctx, p, referral.SignInRequest{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	want := []string{"advocate_welcome:cancelled", "reward_earned:cancelled", "sign_in:queued"}
	if got := kindsTo(mustMessages(t, s, p), "jane@example.com"); !equal(got, want) {
		t.Errorf("after stopping = %v, want %v (sign-in links still come)", got, want)
	}
	if stopped, err := s.EmailsStopped(ctx, p, " JANE@example.com "); err != nil || !stopped {
		t.Errorf("EmailsStopped = %v, %v", stopped, err)
	}
	if stopped, _ := s.EmailsStopped(ctx, other, "jane@example.com"); stopped {
		t.Error("stopping one practice's emails stopped another's")
	}

	if err := s.SetAdvocateEmails(ctx, p, jane, true); err != nil {
		t.Fatal(err)
	}
	mustReferral(t, s, p, jane, "Gil Gray", "gil@example.com")
	mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-2", Email: "gil@example.com", Amount: "200"})
	if got := kindsTo(mustMessages(t, s, p), "jane@example.com"); got[len(got)-1] != "reward_earned:queued" {
		t.Errorf("after resuming = %v, want a queued reward email last", got)
	}
}

func TestSignInLinks(t *testing.T) {
	s, c := mustService(t)
	ctx := context.Background()
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")

	if err := s.RequestSignIn(ctx, p, referral.SignInRequest{Email: "nobody@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RequestSignIn(ctx, p, referral.SignInRequest{Email: "not an email"}); referral.ErrorCode(err) != referral.EInvalid {
		t.Errorf("RequestSignIn(bad email) = %v, want validation-failed", err)
	}
	if err := s.RequestSignIn(ctx, p, referral.SignInRequest{Email: " Jane@Example.com"}); err != nil {
		t.Fatal(err)
	}
	list := mustMessages(t, s, p)
	if got := kindsTo(list, "nobody@example.com"); len(got) != 0 {
		t.Errorf("a stranger's address was sent %v", got)
	}
	link := list[len(list)-1]
	if link.Kind != referral.SignInEmail || link.Letter.ReferralCode != jane.Code || link.Letter.UnsubscribeURL != "" {
		t.Fatalf("sign-in message = %+v", link)
	}
	token := tokenOf(t, link.Letter.SignInURL)

	for range 2 { // looking does not spend it: mail scanners open links
		if l, err := s.PeekSignInLink(ctx, p, token); err != nil || l.Joining() {
			t.Fatalf("PeekSignInLink = %+v, %v", l, err)
		}
	}
	other := mustPractice(t, s)
	if _, err := s.UseSignInLink(ctx, other, token); referral.ErrorCode(err) != referral.ENotFound {
		t.Errorf("another practice's UseSignInLink = %v, want not-found", err)
	}
	session, err := s.UseSignInLink(ctx, p, token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseSignInLink(ctx, p, token); referral.ErrorCode(err) != referral.ENotFound {
		t.Errorf("a second use = %v, want not-found", err)
	}
	if a, err := s.SignedInAdvocate(ctx, p, session); err != nil || a == nil || a.ID != jane.ID || a.URL == "" {
		t.Fatalf("SignedInAdvocate = %+v, %v", a, err)
	}
	if a, _ := s.SignedInAdvocate(ctx, other, session); a != nil {
		t.Error("a session opened another practice's page")
	}
	if err := s.SignOutAdvocate(ctx, session); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.SignedInAdvocate(ctx, p, session); a != nil {
		t.Error("signed out, the session still works")
	}

	// A link expires after 30 minutes.
	if err := s.RequestSignIn(ctx, p, referral.SignInRequest{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	list = mustMessages(t, s, p)
	late := tokenOf(t, list[len(list)-1].Letter.SignInURL)
	c.Add(referral.SignInLinkLifetime + time.Second)
	if _, err := s.UseSignInLink(ctx, p, late); referral.ErrorCode(err) != referral.ENotFound {
		t.Errorf("an expired link = %v, want not-found", err)
	}
}

func TestJoinLinks(t *testing.T) {
	s, _ := mustIsolatedService(t) // fills a practice to the plan's limit
	ctx := context.Background()
	p := mustPractice(t, s)

	if err := s.RequestJoin(ctx, p, referral.NewAdvocate{Name: "Ann Lee", Email: "ann@example.com"}); err != nil {
		t.Fatal(err)
	}
	list := mustMessages(t, s, p)
	if len(list) != 1 || list[0].Kind != referral.JoinEmail || list[0].Letter.FirstName != "Ann" {
		t.Fatalf("after a join = %+v, want one join_confirm", list)
	}
	if ads, _, _ := s.Advocates(ctx, p, referral.AdvocateFilter{}, referral.Page{}); len(ads) != 0 {
		t.Fatal("joining made an advocate before the email was confirmed")
	}
	token := tokenOf(t, list[0].Letter.SignInURL)
	if l, err := s.PeekSignInLink(ctx, p, token); err != nil || !l.Joining() {
		t.Fatalf("PeekSignInLink = %+v, %v", l, err)
	}

	// The plan filling up meanwhile leaves the link unspent, to use when a place frees up.
	for i := range referral.FreeAdvocateLimit {
		mustAdvocate(t, s, p, "Advocate", "a"+string(rune('a'+i/26))+string(rune('a'+i%26))+"@example.com")
	}
	if _, err := s.UseSignInLink(ctx, p, token); referral.ErrorCode(err) != referral.EPlanLimit {
		t.Fatalf("UseSignInLink on a full plan = %v, want plan-limit", err)
	}
	ads, _, _ := s.Advocates(ctx, p, referral.AdvocateFilter{}, referral.Page{Limit: 1})
	disabled := referral.Disabled
	if _, err := s.UpdateAdvocate(ctx, p, ads[0].ID, referral.AdvocateChange{Status: &disabled}); err != nil {
		t.Fatal(err)
	}
	session, err := s.UseSignInLink(ctx, p, token)
	if err != nil {
		t.Fatal(err)
	}
	ann, err := s.SignedInAdvocate(ctx, p, session)
	if err != nil || ann == nil || ann.Name != "Ann Lee" || ann.Email != "ann@example.com" {
		t.Fatalf("the confirmed advocate = %+v, %v", ann, err)
	}
	if got := kindsTo(mustMessages(t, s, p), "ann@example.com"); !equal(got, []string{"join_confirm:queued", "advocate_welcome:queued"}) {
		t.Errorf("messages to the new advocate = %v", got)
	}

	// Joining again with an advocate's email sends a sign-in link to their page instead.
	if err := s.RequestJoin(ctx, p, referral.NewAdvocate{Name: "Someone Else", Email: "ann@example.com"}); err != nil {
		t.Fatal(err)
	}
	list = mustMessages(t, s, p)
	if last := list[len(list)-1]; last.Kind != referral.SignInEmail || last.Letter.FirstName != "Ann" {
		t.Errorf("joining again = %s to %q, want a sign-in link greeting Ann", last.Kind, last.Letter.FirstName)
	}
}

func TestPublicFormsCannotFloodAnInbox(t *testing.T) {
	s, c := mustService(t)
	ctx := context.Background()
	p := mustPractice(t, s)
	for range referral.MessagesPerHour + 3 {
		if err := s.RequestJoin(ctx, p, referral.NewAdvocate{Name: "Vic Tim", Email: "victim@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(kindsTo(mustMessages(t, s, p), "victim@example.com")); n != referral.MessagesPerHour {
		t.Errorf("%d messages in an hour, want %d", n, referral.MessagesPerHour)
	}
	c.Add(time.Hour + time.Second)
	if err := s.RequestJoin(ctx, p, referral.NewAdvocate{Name: "Vic Tim", Email: "victim@example.com"}); err != nil {
		t.Fatal(err)
	}
	if n := len(kindsTo(mustMessages(t, s, p), "victim@example.com")); n != referral.MessagesPerHour+1 {
		t.Errorf("an hour later, %d messages, want one more", n)
	}
}

func TestClaimInvitationAnswersOnlyTheFriend(t *testing.T) {
	s, _ := mustService(t)
	ctx := context.Background()
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	bob := mustAdvocate(t, s, p, "Bob Stone", "bob@example.com")
	mustReferral(t, s, p, bob, "Pat Pending", "pat@example.com")
	mustReferral(t, s, p, bob, "Cal Converted", "cal@example.com")
	mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "cal@example.com", Amount: "200"})
	before := len(mustMessages(t, s, p))

	for email, want := range map[string]string{
		"new@example.com":  "friend_welcome",
		"jane@example.com": "claim_not_added:self-referral",
		"bob@example.com":  "claim_not_added:existing-patient",
		"pat@example.com":  "claim_not_added:already-referred",
		"cal@example.com":  "claim_not_added:existing-patient",
	} {
		if err := s.ClaimInvitation(ctx, p, jane, "Some Name", email); err != nil {
			t.Fatalf("ClaimInvitation(%s) = %v, want no error whoever it is", email, err)
		}
		list := mustMessages(t, s, p)
		last := list[len(list)-1]
		got := last.Kind
		if last.Letter.Reason != "" {
			got += ":" + last.Letter.Reason
		}
		if last.To != email || got != want {
			t.Errorf("claim by %s sent %s to %s, want %s", email, got, last.To, want)
		}
	}
	if n := len(mustMessages(t, s, p)) - before; n != 5 {
		t.Errorf("%d messages for 5 claims, want one each, to the claimant only", n)
	}
	if err := s.ClaimInvitation(ctx, p, jane, "", "x@example.com"); referral.ErrorCode(err) != referral.EInvalid {
		t.Errorf("a claim without a name = %v, want validation-failed", err)
	}
}

func TestPurgeKeepsMetadataAndDropsBodies(t *testing.T) {
	s, c := mustIsolatedService(t)
	ctx := context.Background()
	db := s.Store.(interface {
		ClaimMessages(ctx context.Context, now, leaseUntil time.Time, limit int) ([]referral.Message, error)
		RecordMessage(ctx context.Context, r referral.MessageResult) error
	})
	p := mustPractice(t, s)
	mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	if err := s.RequestSignIn(ctx, p, referral.SignInRequest{Email: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	claimed, err := db.ClaimMessages(ctx, s.Now(), s.Now().Add(time.Minute), 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	for _, m := range claimed {
		if err := db.RecordMessage(ctx, referral.MessageResult{ID: m.ID, Status: referral.MessageHeld, At: s.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	c.Add(referral.BodyRetention - time.Hour)
	if n, err := s.PurgeMessageBodies(ctx); err != nil || n != 0 {
		t.Fatalf("purged %d, %v before 30 days", n, err)
	}
	if n, err := s.PurgeSignIns(ctx); err != nil || n != 1 {
		t.Errorf("PurgeSignIns = %d, %v; want the expired sign-in link gone", n, err)
	}
	c.Add(2 * time.Hour)
	if n, err := s.PurgeMessageBodies(ctx); err != nil || n != 2 {
		t.Fatalf("purged %d, %v after 30 days, want 2", n, err)
	}
	for _, m := range mustMessages(t, s, p) {
		if !m.BodyDeleted || m.Letter != (referral.Letter{}) || m.To != "jane@example.com" || m.Status != referral.MessageHeld {
			t.Errorf("after the purge: %+v", m)
		}
	}
}

// Without a mail server every message goes straight into the mailbox, held, as it is queued:
// no worker has to claim it to find that out. One to an address that stopped the practice's
// emails is still cancelled, and was never held.
func TestKeptMailIsHeldAsItIsQueued(t *testing.T) {
	s, clock := mustService(t)
	s.KeepMail = true
	ctx := context.Background()
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	mustReferral(t, s, p, jane, "Fran Fields", "fran@example.com")
	mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@example.com", Amount: "200"})
	for _, m := range mustMessages(t, s, p) {
		if m.Status != referral.MessageHeld || m.SentAt == nil || !m.SentAt.Equal(clock.Now()) {
			t.Errorf("%s to %s: %s, kept at %v; want held now", m.Kind, m.To, m.Status, m.SentAt)
		}
	}
	token := tokenOf(t, mustMessages(t, s, p)[0].Letter.UnsubscribeURL)
	if err := s.StopEmailsByLink(ctx, p, token); err != nil {
		t.Fatal(err)
	}
	mustReferral(t, s, p, jane, "Gil Gray", "gil@example.com")
	mustConvert(t, s, p, referral.PaymentEvent{InvoiceID: "INV-2", Email: "gil@example.com", Amount: "200"})
	cancelled := 0
	for _, m := range mustMessages(t, s, p) {
		if m.Kind == referral.RewardEarned && m.Status == referral.MessageCancelled {
			cancelled++
			if m.SentAt != nil {
				t.Errorf("the reward email to a stopped address was kept at %v, as if held", m.SentAt)
			}
		}
	}
	if cancelled != 1 {
		t.Errorf("%d cancelled reward emails, want the one sent after stopping", cancelled)
	}
}
