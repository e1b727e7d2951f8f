package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/poll"
	"github.com/advocateloop/advocateloop/backend/logging"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Outbox is the messages outbox as the worker sees it; storage implements it.
type Outbox interface {
	ClaimMessages(ctx context.Context, now, leaseUntil time.Time, limit int) ([]referral.Message, error)
	RecordMessage(ctx context.Context, r referral.MessageResult) error
}

// Practices reads the practice a message speaks for; referral.Service implements it.
type Practices interface {
	Practice(ctx context.Context, id string) (*referral.Practice, error)
}

// Worker sends the outbox. Several workers, in one process or many sharing a database, never
// make the same attempt twice: each claims its messages with a lease longer than any attempt
// can take. Every message is sent at most once: one whose earlier attempt did not finish, or
// whose data went out unanswered, is marked failed for staff rather than sent again.
type Worker struct {
	Outbox    Outbox
	Practices Practices
	Sender    *Sender
	Now       func() time.Time
	Interval  time.Duration // how often to look for due messages when idle
	Batch     int           // messages claimed, and sent side by side, at once
	Log       *slog.Logger  // slog.Default() unless set
}

// NewWorker returns a worker that looks for due messages every interval.
func NewWorker(outbox Outbox, practices Practices, sender *Sender, interval time.Duration) *Worker {
	return &Worker{Outbox: outbox, Practices: practices, Sender: sender, Now: time.Now, Interval: interval, Batch: 10}
}

// Run sends until ctx ends, finishing the attempts under way.
func (w *Worker) Run(ctx context.Context) {
	poll.Run(ctx, w.Interval, nil, func() bool {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log().Error("mail: claiming or recording failed", "error", err.Error())
		}
		return n == w.Batch // a full batch: more may be due
	})
}

// RunOnce claims the messages due now, sends them side by side and records what came of each.
// It returns how many it attempted.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	now := w.Now().UTC()
	// A conversation with the server ends within the timeout, whatever the server does; the
	// rest is margin for reading the practice and recording the result.
	lease := now.Add(2*w.Sender.timeout() + 30*time.Second)
	claimed, err := w.Outbox.ClaimMessages(ctx, now, lease, w.Batch)
	if err != nil {
		return 0, err
	}
	// An attempt under way is finished even if ctx ends: cutting it short mid-message would
	// leave it unconfirmed.
	ctx = context.WithoutCancel(ctx)
	practices := w.practices(ctx, claimed)
	var wg sync.WaitGroup
	errs := make([]error, len(claimed))
	for i, m := range claimed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.Outbox.RecordMessage(ctx, w.attempt(ctx, practices[m.PracticeID], m))
		}()
	}
	wg.Wait()
	return len(claimed), errors.Join(errs...)
}

// practices reads each practice of a batch once; one that cannot be read is nil.
func (w *Worker) practices(ctx context.Context, claimed []referral.Message) map[string]*referral.Practice {
	out := map[string]*referral.Practice{}
	for _, m := range claimed {
		if _, ok := out[m.PracticeID]; !ok {
			out[m.PracticeID], _ = w.Practices.Practice(ctx, m.PracticeID)
		}
	}
	return out
}

// attempt sends message m of practice p, unless it must not go, and says what came of it.
func (w *Worker) attempt(ctx context.Context, p *referral.Practice, m referral.Message) referral.MessageResult {
	res := referral.MessageResult{ID: m.ID, At: w.Now().UTC()}
	switch {
	case m.Status != referral.MessageQueued:
		// Claimed again after a lease ran out: the attempt before may have sent it.
		res.Status, res.Error = referral.MessageFailed, "An earlier attempt to send this message did not finish; it may have arrived. "+
			"Not retried, so it can never arrive twice; staff can send it again."
	case p == nil:
		w.retry(&res, m.Attempts, "The practice could not be read; trying again.")
	case expired(m, res.At):
		res.Status, res.Error = referral.MessageCancelled, "Not sent: the one-time link expired before it could be sent."
	default:
		c, err := Compose(p, &m)
		if err != nil {
			res.Status, res.Error = referral.MessageFailed, "Not sent: "+err.Error()
			break
		}
		v, why := w.Sender.send(ctx, p, &m, c, res.At)
		switch v {
		case accepted:
			kept := m.Letter.Redacted()
			res.Status, res.Letter = referral.MessageSent, &kept
		case held:
			res.Status = referral.MessageHeld
		case tryLater:
			w.retry(&res, m.Attempts, why)
		default:
			res.Status, res.Error = referral.MessageFailed, why
		}
	}
	// Never the letter or the body; the recipient only masked, even if a plain logger is used.
	w.log().Info("mail", "message_id", m.ID, "kind", m.Kind, "practice_id", m.PracticeID,
		"to", logging.MaskEmails(m.To), "status", res.Status, "attempt", m.Attempts, "error", res.Error)
	return res
}

// retry queues the message again after the next delay, or fails it once retries run out.
func (w *Worker) retry(res *referral.MessageResult, attempts int, why string) {
	if next, ok := referral.NextAttempt(attempts, res.At, 0); ok {
		res.Status, res.RetryAt, res.Error = referral.MessageQueued, &next, why
		return
	}
	res.Status, res.Error = referral.MessageFailed, fmt.Sprintf("Gave up after %d attempts over about a day. The last: %s", attempts, why)
}

// expired tells whether a one-time link in m is already dead: sending it would only confuse.
func expired(m referral.Message, now time.Time) bool {
	switch m.Kind {
	case referral.SignInEmail:
		return now.Sub(m.CreatedAt) >= referral.SignInLinkLifetime
	case referral.JoinEmail:
		return now.Sub(m.CreatedAt) >= referral.JoinLinkLifetime
	case referral.StaffInvite:
		return now.Sub(m.CreatedAt) >= referral.SetupTokenLifetime
	case referral.PasswordReset:
		return now.Sub(m.CreatedAt) >= referral.PasswordResetLifetime
	}
	return false
}

func (w *Worker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.Default()
}
