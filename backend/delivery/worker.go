// Package delivery drains the outbox: it POSTs each event to every hook subscribed to it, at
// least once, signing deliveries per Standard Webhooks and retrying failures for about a day.
package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/poll"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Queue is the outbox as the worker sees it; storage implements it.
type Queue interface {
	ClaimDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]referral.Delivery, error)
	RecordDelivery(ctx context.Context, r referral.DeliveryResult) error
}

// Worker delivers events. Several workers, in one process or many sharing a database, never
// make the same attempt twice: each claims its deliveries with a lease. And a hook has at most
// one delivery under way at a time, whichever worker makes it, so its events arrive in order
// and a 410 stops the rest; a receiver that never answers holds up nobody else's deliveries.
type Worker struct {
	Queue       Queue
	Client      *http.Client
	Now         func() time.Time
	Interval    time.Duration // how often to look for due deliveries when idle
	Timeout     time.Duration // per attempt
	Concurrency int           // attempts under way at once, each to its own hook
}

// New returns a worker with production settings: a 10 s timeout per attempt, 32 attempts under
// way at once (so many receivers can hang together and the rest still flow; an attempt holds a
// connection to its receiver, never one to the database), and connections to private
// addresses refused unless allowPrivate (development and tests).
func New(q Queue, interval time.Duration, allowPrivate bool) *Worker {
	w := &Worker{Queue: q, Now: time.Now, Interval: interval, Timeout: 10 * time.Second, Concurrency: 32}
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: dialControl(allowPrivate)}
	w.Client = &http.Client{
		Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil,
			MaxIdleConnsPerHost: 4, IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 5 * time.Second},
		// A redirect could lead anywhere, private addresses included; hooks must answer in place.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return w
}

// Run delivers until ctx ends, then waits for the attempts under way. It keeps up to
// Concurrency attempts going and claims more whenever one ends, so a slow receiver holds its
// own slot and never the others'.
func (w *Worker) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, w.Concurrency) // one token per attempt under way
	ended := poll.NewWake()                     // an attempt ended: its hook may have more
	poll.Run(ctx, w.Interval, ended, func() bool {
		free := cap(slots) - len(slots)
		if free == 0 {
			return false
		}
		claimed, err := w.claim(ctx, free)
		if err != nil && ctx.Err() == nil {
			slog.Error("delivery: claiming failed", "error", err.Error())
		}
		for _, d := range claimed {
			slots <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := w.deliver(ctx, d); err != nil {
					slog.Error("delivery: recording failed", "error", err.Error())
				}
				<-slots
				ended.Signal()
			}()
		}
		return false // claim again when an attempt ends or the interval passes
	})
}

// RunOnce claims what is due now, up to Concurrency deliveries each to its own hook, attempts
// them side by side and records each as it ends. It returns how many it attempted.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	claimed, err := w.claim(ctx, w.Concurrency)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(claimed))
	for i, d := range claimed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.deliver(ctx, d)
		}()
	}
	wg.Wait()
	return len(claimed), errors.Join(errs...)
}

// claim leases up to n due deliveries, for longer than an attempt can take.
func (w *Worker) claim(ctx context.Context, n int) ([]referral.Delivery, error) {
	now := w.Now().UTC()
	return w.Queue.ClaimDeliveries(ctx, now, now.Add(w.Timeout+30*time.Second), n)
}

// deliver makes one attempt and records what came of it at once, even if ctx has ended
// meanwhile: the attempt happened.
func (w *Worker) deliver(ctx context.Context, d referral.Delivery) error {
	return w.Queue.RecordDelivery(context.WithoutCancel(ctx), w.attempt(ctx, d))
}

// attempt POSTs one event to one hook and says what came of it.
func (w *Worker) attempt(ctx context.Context, d referral.Delivery) referral.DeliveryResult {
	res := referral.DeliveryResult{EventID: d.Event.ID, HookID: d.HookID, Attempt: d.Attempts}
	status, retryAfter, err := w.post(ctx, d)
	res.At = w.Now().UTC()
	switch {
	case err == nil && status >= 200 && status < 300:
		res.Delivered = true
	case status == http.StatusGone:
		res.Gone = true
	default:
		res.Error = fmt.Sprintf("HTTP %d", status)
		if err != nil {
			res.Error = err.Error()
		}
		if next, ok := referral.NextAttempt(d.Attempts, res.At, retryAfter); ok {
			res.RetryAt = &next
		}
	}
	slog.Info("delivery", "event_id", d.Event.ID, "hook_id", d.HookID, "type", d.Event.Type,
		"attempt", d.Attempts, "status", status, "delivered", res.Delivered, "gone", res.Gone, "error", res.Error)
	return res
}

func (w *Worker) post(ctx context.Context, d referral.Delivery) (status int, retryAfter time.Duration, err error) {
	body, err := json.Marshal(d.Event) // exactly what GET /v1/events lists
	if err != nil {
		return 0, 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.TargetURL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "AdvocateLoop-Webhooks/1")
	if u, err := url.Parse(d.TargetURL); err == nil && !zapier(u.Hostname()) {
		sign(req.Header, d.Secret, d.Event.ID, w.Now(), body)
	}
	res, err := w.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, 0, fmt.Errorf("no answer within %s", w.Timeout)
		}
		return 0, 0, errors.Unwrap(err) // drop the URL: it is the hook's, already known
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // let the connection be reused
	return res.StatusCode, parseRetryAfter(res.Header.Get("Retry-After"), w.Now()), nil
}

// longestRetryAfter is the longest wait a receiver can ask for: deliveries give up after about
// a day anyway, and a wait past it must not overflow into the past.
const longestRetryAfter = 24 * time.Hour

// parseRetryAfter reads seconds or an HTTP date; anything else is no hint.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if digits := strings.TrimPrefix(v, "+"); digits != "" && strings.Trim(digits, "0123456789") == "" {
		s, err := strconv.ParseUint(digits, 10, 64) // delay-seconds, however many digits
		if err != nil || s > uint64(longestRetryAfter/time.Second) {
			return longestRetryAfter
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
