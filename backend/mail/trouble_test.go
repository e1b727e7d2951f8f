package mail_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/mailtest"
	"github.com/advocateloop/advocateloop/backend/mail"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// A server that answers 4xx, at any stage, gets the message again after the retry delay, and
// once it takes it, never again.
func TestTemporaryRefusalIsRetriedThenSentOnce(t *testing.T) {
	for _, tc := range []struct {
		at    mailtest.Stage
		reply string
	}{
		{mailtest.AtConnect, "421 4.3.2 Too busy, come back later"},
		{mailtest.AtMail, "451 4.3.0 Try again later"},
		{mailtest.AtRcpt, "452 4.2.2 Mailbox full"},
		{mailtest.AtData, "451 4.7.1 Greylisted, try again"},
	} {
		t.Run(tc.reply, func(t *testing.T) {
			f := mustFixture(t)
			f.server.Refuse(tc.at, tc.reply)
			f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
			f.run(t)
			m := f.only(t, referral.AdvocateWelcome)
			if m.Status != referral.MessageQueued || m.Attempts != 1 || !strings.Contains(m.LastError, tc.reply[:3]) {
				t.Fatalf("after %s: %s, attempt %d, %q", tc.reply, m.Status, m.Attempts, m.LastError)
			}
			if n := f.run(t); n != 0 {
				t.Fatalf("retried %d before the delay", n)
			}
			f.server.Recover()
			f.clock.Add(10 * time.Second)
			if n := f.run(t); n != 1 {
				t.Fatalf("retry attempted %d", n)
			}
			f.clock.Add(48 * time.Hour)
			f.run(t)
			if got := len(f.server.Messages()); got != 1 {
				t.Errorf("the server has %d copies, want 1", got)
			}
			if m := f.only(t, referral.AdvocateWelcome); m.Status != referral.MessageSent || m.Attempts != 2 {
				t.Errorf("finally %s after %d attempts", m.Status, m.Attempts)
			}
		})
	}
}

// A 5xx is final: the message fails with the server's answer and is never tried again.
func TestPermanentRefusalFailsWithTheServersAnswer(t *testing.T) {
	for _, tc := range []struct {
		at    mailtest.Stage
		reply string
	}{
		{mailtest.AtRcpt, "550 5.1.1 <jane@patients.example>: Recipient address rejected"},
		{mailtest.AtData, "554 5.7.1 Message rejected as spam"},
	} {
		t.Run(tc.reply, func(t *testing.T) {
			f := mustFixture(t)
			f.server.Refuse(tc.at, tc.reply)
			f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
			f.run(t)
			f.server.Recover()
			f.clock.Add(48 * time.Hour)
			if n := f.run(t); n != 0 {
				t.Errorf("a refused message was tried again")
			}
			m := f.only(t, referral.AdvocateWelcome)
			if m.Status != referral.MessageFailed || !strings.Contains(m.LastError, tc.reply) || len(f.server.Messages()) != 0 {
				t.Errorf("%s with %q, %d arrived; want failed with %q", m.Status, m.LastError, len(f.server.Messages()), tc.reply)
			}
		})
	}
}

// A server that does not answer costs one timeout, not a stuck worker; the message goes once
// the server is back.
func TestStalledServerTimesOutAndIsRetried(t *testing.T) {
	for _, at := range []mailtest.Stage{mailtest.AtConnect, mailtest.AtMail, mailtest.AtRcpt} {
		f := mustFixture(t)
		f.sender.Timeout = 300 * time.Millisecond
		f.server.Stall(at)
		f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
		start := time.Now()
		f.run(t)
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("stage %d: the attempt took %s; the timeout is 300ms", at, took)
		}
		m := f.only(t, referral.AdvocateWelcome)
		if m.Status != referral.MessageQueued || !strings.Contains(m.LastError, "did not answer within 300ms") {
			t.Errorf("stage %d: %s, %q", at, m.Status, m.LastError)
		}
		f.server.Recover()
		f.clock.Add(10 * time.Second)
		f.run(t)
		if got := len(f.server.Messages()); got != 1 || f.only(t, referral.AdvocateWelcome).Status != referral.MessageSent {
			t.Errorf("stage %d: %d arrived after recovering, want 1", at, got)
		}
	}
}

// When the data went out but the answer never came, the message may have arrived: it fails
// for staff to see and is not sent again, so it can never arrive twice.
func TestUnansweredDataIsNeverSentTwice(t *testing.T) {
	f := mustFixture(t)
	f.sender.Timeout = 300 * time.Millisecond
	f.server.Stall(mailtest.AtData)
	f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	f.run(t)
	f.server.Recover()
	m := f.only(t, referral.AdvocateWelcome)
	if m.Status != referral.MessageFailed || !strings.Contains(m.LastError, "may have arrived") {
		t.Errorf("%s: %q", m.Status, m.LastError)
	}
	f.clock.Add(48 * time.Hour)
	if n := f.run(t); n != 0 || len(f.server.Messages()) != 1 {
		t.Errorf("attempted %d more; the server has %d copies, want the 1 it kept", n, len(f.server.Messages()))
	}
}

// A worker that died mid-attempt leaves its message leased; whoever claims it after the lease
// cannot know whether it went, so it is failed, not sent a second time.
func TestInterruptedAttemptIsNotRepeated(t *testing.T) {
	f := mustFixture(t)
	f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	now := f.clock.Now()
	if _, err := f.db.ClaimMessages(context.Background(), now, now.Add(time.Minute), 10); err != nil {
		t.Fatal(err)
	}
	if n := f.run(t); n != 0 {
		t.Fatalf("claimed %d under another worker's lease", n)
	}
	f.clock.Add(2 * time.Minute)
	f.run(t)
	m := f.only(t, referral.AdvocateWelcome)
	if m.Status != referral.MessageFailed || !strings.Contains(m.LastError, "did not finish") || len(f.server.Messages()) != 0 {
		t.Errorf("%s, %q, %d arrived", m.Status, m.LastError, len(f.server.Messages()))
	}
}

// After about a day of temporary refusals the message fails, saying why.
func TestRetriesRunOut(t *testing.T) {
	f := mustFixture(t)
	f.server.Refuse(mailtest.AtRcpt, "451 4.3.0 Try again later")
	f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	attempts := 0
	for range referral.MaxDeliveryAttempts + 2 {
		attempts += f.run(t)
		f.clock.Add(11 * time.Hour)
	}
	m := f.only(t, referral.AdvocateWelcome)
	if attempts != referral.MaxDeliveryAttempts || m.Status != referral.MessageFailed || !strings.Contains(m.LastError, "Gave up") {
		t.Errorf("%d attempts, %s, %q", attempts, m.Status, m.LastError)
	}
}

// Workers running at once, as several servers would, send each message once.
func TestConcurrentWorkersSendEachMessageOnce(t *testing.T) {
	f := mustFixture(t)
	for i := range 30 {
		f.mustAdvocate(t, "Advocate", "advocate"+string(rune('a'+i))+"@patients.example")
	}
	workers := []*mail.Worker{f.worker, mail.NewWorker(f.db, f.svc, f.sender, time.Second)}
	var wg sync.WaitGroup
	for _, w := range workers {
		w.Now, w.Batch, w.Log = f.clock.Now, 7, f.worker.Log
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if _, err := w.RunOnce(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if got := f.received(t); len(got) != 30 || len(f.server.Messages()) != 30 {
		t.Errorf("%d distinct messages in %d arrivals, want 30 once each", len(got), len(f.server.Messages()))
	}
}

// A payment replayed a hundred times, some at the same moment, as Zapier and the webhook both
// send it, tells the advocate once.
func TestReplayedPaymentSendsOneRewardEmail(t *testing.T) {
	f := mustFixture(t)
	jane := f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	f.mustReferral(t, jane, "Fran Fields", "fran@friends.example")
	ev := referral.PaymentEvent{InvoiceID: "INV-1", Email: "fran@friends.example", Amount: "987.65"}
	for round := range 4 {
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := f.svc.RecordConversion(context.Background(), f.p, ev); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		for range 15 {
			f.mustPay(t, ev.InvoiceID, ev.Email, string(ev.Amount))
		}
		if round%2 == 1 {
			f.run(t) // sending in between changes nothing
		}
	}
	for f.run(t) > 0 {
	}
	rewards := 0
	for _, p := range f.received(t) {
		if strings.HasPrefix(p.Subject, "Your reward") {
			rewards++
		}
	}
	if rewards != 1 || len(f.server.Messages()) != 3 {
		t.Errorf("%d reward emails among %d, want 1 among the welcome, the friend's welcome and the reward", rewards, len(f.server.Messages()))
	}
}

// A refund before the reward email leaves cancels it, and the advocate hears of neither; a
// refund after tells them the reward was voided.
func TestRefundBeforeOrAfterTheRewardEmail(t *testing.T) {
	f := mustFixture(t)
	jane := f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
	f.mustReferral(t, jane, "Fran Fields", "fran@friends.example")
	f.mustPay(t, "INV-1", "fran@friends.example", "987.65")
	f.mustRefund(t, "INV-1")
	f.run(t)
	if m := f.only(t, referral.RewardEarned); m.Status != referral.MessageCancelled {
		t.Errorf("reward email refunded before it left: %s", m.Status)
	}
	for _, m := range f.messages(t) {
		if m.Kind == referral.RewardVoided {
			t.Errorf("a voided email for a reward the advocate never heard of")
		}
	}
	if n := len(f.server.Messages()); n != 2 {
		t.Errorf("%d arrived, want the two welcomes", n)
	}

	// Another friend's payment: this time the reward email goes before the refund.
	f.mustReferral(t, jane, "Gail Green", "gail@friends.example")
	f.mustPay(t, "INV-2", "gail@friends.example", "120.00")
	f.run(t)
	f.mustRefund(t, "INV-2")
	f.run(t)
	subjects := map[string]int{}
	for _, p := range f.received(t) {
		subjects[p.Subject]++
	}
	if len(f.server.Messages()) != 5 || subjects["Your reward from Glow Aesthetics"] != 1 || subjects["An update about your reward from Glow Aesthetics"] != 1 {
		t.Errorf("subjects received: %v", subjects)
	}
}
