package referral

import "time"

// Delivery is one event on its way to one hook, as the delivery worker claims it.
type Delivery struct {
	Event     Event
	HookID    string
	TargetURL string
	Secret    string // the practice's webhook secret, to sign the delivery
	Attempts  int    // including the one now being made
}

// DeliveryResult is what one attempt came to.
type DeliveryResult struct {
	EventID   string
	HookID    string
	Attempt   int // which attempt this was: its lease is recorded only if still its own
	Delivered bool
	Gone      bool       // the target answered 410: the subscription is removed
	RetryAt   *time.Time // when to try again; nil with neither Delivered nor Gone means failed for good
	Error     string     // why the attempt failed, for the practice to see
	At        time.Time
}

// retryDelays grow from seconds to hours; together they span about a day (24 h 1 min),
// after which a delivery is marked failed.
var retryDelays = []time.Duration{
	10 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour, 10 * time.Hour,
}

// MaxDeliveryAttempts is the first attempt and every retry.
var MaxDeliveryAttempts = len(retryDelays) + 1

// NextAttempt says when to retry after a failed attempt number `attempts` (1 for the first),
// never before the target's Retry-After; false once the retries are used up.
func NextAttempt(attempts int, now time.Time, retryAfter time.Duration) (time.Time, bool) {
	if attempts >= MaxDeliveryAttempts {
		return time.Time{}, false
	}
	delay := max(retryDelays[attempts-1], min(retryAfter, 24*time.Hour))
	return now.Add(delay), true
}
