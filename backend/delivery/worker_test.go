package delivery_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/delivery"
	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/referral"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// clock is the test's time: deliveries become due when the test says so.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// receiver is a local hook target that answers as the test tells it and keeps what arrived.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []http.Header
	bodies   [][]byte
	answer   func(n int) int // status for the n-th request (0-based)
	header   http.Header     // extra answer headers
	hangOnce bool
	before   func(req *http.Request, body []byte) // called before answering, outside the lock
}

func newReceiver(t *testing.T, answer func(n int) int) *receiver {
	r := &receiver{answer: answer, header: http.Header{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		n := len(r.got)
		r.got, r.bodies = append(r.got, req.Header.Clone()), append(r.bodies, body)
		hang, before := r.hangOnce && n == 0, r.before
		r.mu.Unlock()
		if before != nil {
			before(req, body)
		}
		if hang {
			select { // longer than the worker waits, bounded all the same
			case <-req.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		for k, v := range r.header {
			w.Header()[k] = v
		}
		w.WriteHeader(r.answer(n))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) count() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.got) }

type fixture struct {
	db     *storage.DB
	svc    *referral.Service
	clock  *clock
	worker *delivery.Worker
	p      *referral.Practice
	secret string
}

func mustFixture(t *testing.T, url string) *fixture {
	t.Helper()
	db := testdb.MustOpenURL(t, url)
	c := &clock{t: time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)}
	f := &fixture{db: db, clock: c, svc: &referral.Service{Store: db, Clock: c.Now, PublicURL: "https://refer.example.com"}}
	f.worker = delivery.New(db, time.Second, true)
	f.worker.Now, f.worker.Timeout = c.Now, 300*time.Millisecond
	return f
}

func (f *fixture) mustPractice(t *testing.T) {
	t.Helper()
	p, secrets, err := f.svc.CreatePractice(context.Background(), referral.NewPractice{Name: "Glow Aesthetics", AdminEmail: "admin@glow.example"})
	if err != nil {
		t.Fatal(err)
	}
	f.p, f.secret = p, secrets.WebhookSecret
}

func (f *fixture) mustHook(t *testing.T, target string) *referral.Hook {
	t.Helper()
	h, err := f.svc.Subscribe(context.Background(), f.p, referral.NewHook{Event: referral.AdvocateCreated, TargetURL: target})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// mustEvent makes an advocate.created event.
func (f *fixture) mustEvent(t *testing.T, email string) {
	t.Helper()
	if _, _, err := f.svc.CreateAdvocate(context.Background(), f.p, referral.NewAdvocate{Name: "Jane Avery", Email: email}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) run(t *testing.T) int {
	t.Helper()
	n, err := f.worker.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return n
}

func (f *fixture) hook(t *testing.T) *referral.Hook {
	t.Helper()
	hooks, _, err := f.svc.Hooks(context.Background(), f.p, referral.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hooks) == 0 {
		return nil
	}
	return &hooks[0]
}

func setup(t *testing.T, answer func(n int) int) (*fixture, *receiver) {
	f := mustFixture(t, testdb.URL(t))
	f.mustPractice(t)
	r := newReceiver(t, answer)
	f.mustHook(t, r.URL+"/hook")
	return f, r
}

// A failed attempt is retried after its delay; once delivered, never again.
func TestRetriedUntilDeliveredThenNeverAgain(t *testing.T) {
	f, r := setup(t, func(n int) int { return []int{500, 200}[min(n, 1)] })
	f.mustEvent(t, "jane@example.com")

	if n := f.run(t); n != 1 || r.count() != 1 {
		t.Fatalf("first run attempted %d, receiver got %d", n, r.count())
	}
	if h := f.hook(t); h.Pending != 1 || h.LastError != "HTTP 500" {
		t.Errorf("after a 500 the hook shows %+v", h)
	}
	if n := f.run(t); n != 0 {
		t.Fatalf("retried %d deliveries before their delay", n)
	}
	f.clock.Add(10 * time.Second)
	if n := f.run(t); n != 1 || r.count() != 2 {
		t.Fatalf("retry attempted %d, receiver got %d", n, r.count())
	}
	f.clock.Add(48 * time.Hour)
	if n := f.run(t); n != 0 || r.count() != 2 {
		t.Fatalf("after success: attempted %d more, receiver got %d", n, r.count())
	}
	if h := f.hook(t); h.Pending != 0 || h.Failed != 0 {
		t.Errorf("after delivery the hook shows %+v", h)
	}

	// Both attempts carried the same event, id and body, signed with the practice's secret.
	if r.got[0].Get("webhook-id") != r.got[1].Get("webhook-id") || string(r.bodies[0]) != string(r.bodies[1]) {
		t.Errorf("retry differs: %v / %v", r.got[0], r.got[1])
	}
	var ev referral.Event
	if err := json.Unmarshal(r.bodies[1], &ev); err != nil || ev.Type != referral.AdvocateCreated || ev.ID != r.got[1].Get("webhook-id") {
		t.Fatalf("delivered %s (%v)", r.bodies[1], err)
	}
	events, _, _ := f.svc.Events(context.Background(), f.p, "", referral.Page{})
	listed, _ := json.Marshal(events[0])
	if string(listed) != string(r.bodies[1]) {
		t.Errorf("delivered body differs from GET /v1/events:\n%s\n%s", r.bodies[1], listed)
	}
	checkSignature(t, f.secret, r.got[1], r.bodies[1])
}

func checkSignature(t *testing.T, secret string, h http.Header, body []byte) {
	t.Helper()
	key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(h.Get("webhook-id") + "." + h.Get("webhook-timestamp") + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if h.Get("webhook-signature") != want {
		t.Errorf("webhook-signature = %q, want %q", h.Get("webhook-signature"), want)
	}
}

// A 429's Retry-After is honoured even when it is longer than the usual delay.
func TestRetryAfterHonoured(t *testing.T) {
	f, r := setup(t, func(n int) int { return []int{429, 200}[min(n, 1)] })
	r.header.Set("Retry-After", "120")
	f.mustEvent(t, "jane@example.com")
	f.run(t)
	f.clock.Add(10 * time.Second) // the usual first delay
	if n := f.run(t); n != 0 {
		t.Fatalf("retried before Retry-After")
	}
	f.clock.Add(110 * time.Second)
	if n := f.run(t); n != 1 || r.count() != 2 {
		t.Fatalf("after Retry-After: attempted %d, receiver got %d", n, r.count())
	}
}

// A 410 means the subscriber is gone: the hook is removed and gets nothing more.
func TestGoneRemovesTheHook(t *testing.T) {
	f, r := setup(t, func(int) int { return http.StatusGone })
	f.mustEvent(t, "jane@example.com")
	f.run(t)
	if h := f.hook(t); h != nil {
		t.Fatalf("hook still there after 410: %+v", h)
	}
	f.mustEvent(t, "jo@example.com")
	f.clock.Add(time.Hour)
	if n := f.run(t); n != 0 || r.count() != 1 {
		t.Fatalf("after 410: attempted %d, receiver got %d", n, r.count())
	}
}

// A receiver that does not answer times out; the delivery is retried.
func TestHangingReceiverTimesOutAndIsRetried(t *testing.T) {
	f, r := setup(t, func(int) int { return 200 })
	r.hangOnce = true
	f.mustEvent(t, "jane@example.com")
	start := time.Now()
	f.run(t)
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Fatalf("attempt took %s; the timeout is 300ms", elapsed)
	}
	if h := f.hook(t); !strings.Contains(h.LastError, "no answer within") {
		t.Errorf("last error = %q", h.LastError)
	}
	f.clock.Add(10 * time.Second)
	if n := f.run(t); n != 1 || r.count() != 2 {
		t.Fatalf("retry attempted %d, receiver got %d", n, r.count())
	}
}

// After about a day of failures a delivery is marked failed, visible on the hook.
func TestFailedAfterAboutADay(t *testing.T) {
	f, r := setup(t, func(int) int { return 503 })
	f.mustEvent(t, "jane@example.com")
	var waited time.Duration
	for range referral.MaxDeliveryAttempts + 2 {
		f.run(t)
		f.clock.Add(11 * time.Hour)
		waited += 11 * time.Hour
	}
	if r.count() != referral.MaxDeliveryAttempts {
		t.Errorf("receiver got %d attempts, want %d", r.count(), referral.MaxDeliveryAttempts)
	}
	h := f.hook(t)
	if h.Failed != 1 || h.Pending != 0 || h.LastError != "HTTP 503" {
		t.Errorf("hook = %+v, want one failed delivery", h)
	}
}

// A server that stops mid-queue loses nothing: what it claimed is claimed again after the
// lease, and the rest follows in order. Until the lease runs out the hook waits, since the
// first server may still be delivering to it, but other hooks do not.
func TestRestartMidQueueLosesNothing(t *testing.T) {
	url := testdb.URL(t)
	f := mustFixture(t, url)
	f.mustPractice(t)
	r := newReceiver(t, func(int) int { return 200 })
	f.mustHook(t, r.URL+"/hook")
	for _, e := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		f.mustEvent(t, e)
		f.clock.Add(time.Millisecond)
	}
	// The first server claims one delivery and dies before attempting it.
	if _, err := f.db.ClaimDeliveries(context.Background(), f.clock.Now(), f.clock.Now().Add(40*time.Second), 1); err != nil {
		t.Fatal(err)
	}
	f.db.Close()

	g := mustFixture(t, url)
	g.clock.t = f.clock.Now()
	g.p = f.p
	other := newReceiver(t, func(int) int { return 200 })
	g.mustHook(t, other.URL+"/other")
	g.mustEvent(t, "d@example.com")
	if n := g.run(t); n != 1 || r.count() != 0 || other.count() != 1 {
		t.Fatalf("restarted server delivered %d (leased hook %d, other hook %d), want only the other hook's", n, r.count(), other.count())
	}
	g.clock.Add(41 * time.Second)
	for range 4 {
		g.run(t)
	}
	var got []string
	for _, b := range r.bodies {
		var ev referral.Event
		json.Unmarshal(b, &ev)
		var a struct{ Email string }
		json.Unmarshal(ev.Data, &a)
		got = append(got, a.Email)
	}
	if want := []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com"}; !slices.Equal(got, want) {
		t.Errorf("after the lease the hook got %v, want %v: each once, in order", got, want)
	}
}

// A receiver that never answers holds up no other hook's deliveries: each reaches its receiver
// within a fraction of the attempt timeout while the first is still waiting for an answer.
func TestHangingReceiverHoldsUpNoOtherHook(t *testing.T) {
	f := mustFixture(t, testdb.URL(t))
	f.worker.Timeout = 5 * time.Second
	f.mustPractice(t)
	hung := newReceiver(t, func(int) int { return 200 })
	hung.hangOnce = true
	fine := newReceiver(t, func(int) int { return 200 })
	f.mustHook(t, hung.URL+"/hook")
	f.mustHook(t, fine.URL+"/hook")
	f.runInBackground(t)

	for i := range 3 {
		start := time.Now()
		f.mustEvent(t, "advocate"+strconv.Itoa(i)+"@example.com")
		f.clock.Add(time.Millisecond)
		for fine.count() < i+1 {
			if time.Since(start) > time.Second {
				t.Fatalf("event %d took over %s to reach a working receiver while another hangs (timeout %s)",
					i+1, time.Since(start), f.worker.Timeout)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if hung.count() != 1 {
		t.Errorf("the hanging receiver got %d requests, want 1: its hook waits for its answer", hung.count())
	}
}

// After a 410 nothing more reaches the receiver, though several deliveries were queued for its
// hook: they go with the subscription. Another hook gets all of its own.
func TestGoneStopsTheDeliveriesQueuedForTheHook(t *testing.T) {
	f, gone := setup(t, func(int) int { return http.StatusGone })
	fine := newReceiver(t, func(int) int { return 200 })
	f.mustHook(t, fine.URL+"/hook")
	for i := range 5 {
		f.mustEvent(t, "advocate"+strconv.Itoa(i)+"@example.com")
		f.clock.Add(time.Millisecond)
	}
	for range 8 {
		f.run(t)
		f.clock.Add(time.Hour)
	}
	if gone.count() != 1 || fine.count() != 5 {
		t.Fatalf("the receiver that answered 410 got %d requests (want 1); the other got %d (want 5)", gone.count(), fine.count())
	}
	var left int
	if err := f.db.SQL().QueryRow(`SELECT COUNT(*) FROM deliveries WHERE status <> 'delivered'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d deliveries left after the 410 (%v), want none", left, err)
	}
	if hooks, _, _ := f.svc.Hooks(context.Background(), f.p, referral.Page{}); len(hooks) != 1 || hooks[0].TargetURL != fine.URL+"/hook" {
		t.Errorf("hooks after the 410: %+v", hooks)
	}
}

// A 410 is the target's answer: every subscription of the practice to that URL goes, and
// nothing more reaches it, though deliveries for two hooks were queued there.
func TestGoneEndsEverySubscriptionToTheTarget(t *testing.T) {
	f, gone := setup(t, func(int) int { return http.StatusGone })
	ctx := context.Background()
	if _, err := f.svc.Subscribe(ctx, f.p, referral.NewHook{Event: referral.ReferralCreated, TargetURL: gone.URL + "/hook"}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		email := "advocate" + strconv.Itoa(i) + "@example.com"
		a, _, err := f.svc.CreateAdvocate(ctx, f.p, referral.NewAdvocate{Name: "Jane Avery", Email: email})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.ClaimReferral(ctx, f.p, referral.NewReferral{AdvocateID: a.ID,
			FriendName: "Fran Fields", FriendEmail: "friend" + strconv.Itoa(i) + "@example.com"}); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(time.Millisecond)
	}
	for range 4 {
		f.run(t)
		f.clock.Add(time.Hour)
	}
	if gone.count() != 1 {
		t.Fatalf("the receiver that answered 410 got %d requests, want 1", gone.count())
	}
	if h := f.hook(t); h != nil {
		t.Fatalf("a hook to the target that answered 410 is still there: %+v", h)
	}
}

// Two servers sharing one database never deliver to one hook at the same time, and between
// them deliver every event once, in order; different hooks go side by side.
func TestTwoWorkersNeverDeliverToOneHookAtOnce(t *testing.T) {
	url := testdb.URL(t)
	f := mustFixture(t, url)
	f.mustPractice(t)
	var (
		mu              sync.Mutex
		inFlight        = map[string]int{}
		most, mostAtAll int
		got             = map[string][]string{}
	)
	var targets []string
	for i := range 3 {
		path := "/hook" + strconv.Itoa(i)
		r := newReceiver(t, func(int) int { return 200 })
		r.before = func(req *http.Request, body []byte) {
			mu.Lock()
			inFlight[path]++
			total := 0
			for _, n := range inFlight {
				total += n
			}
			most, mostAtAll = max(most, inFlight[path]), max(mostAtAll, total)
			var ev referral.Event
			json.Unmarshal(body, &ev)
			got[path] = append(got[path], ev.ID)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond) // long enough for the other server to try
			mu.Lock()
			inFlight[path]--
			mu.Unlock()
		}
		f.mustHook(t, r.URL+path)
		targets = append(targets, path)
	}
	var events []string
	for i := range 10 {
		f.mustEvent(t, "advocate"+strconv.Itoa(i)+"@example.com")
		f.clock.Add(time.Millisecond)
	}
	list, _, _ := f.svc.Events(context.Background(), f.p, "", referral.Page{Limit: 100})
	for i := len(list) - 1; i >= 0; i-- { // oldest first
		events = append(events, list[i].ID)
	}

	g := mustFixture(t, url) // a second server: its own connections, its own worker
	g.clock = f.clock
	g.worker.Now = f.clock.Now
	f.runInBackground(t)
	g.runInBackground(t)
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := 0
		for _, ids := range got {
			n += len(ids)
		}
		mu.Unlock()
		if n >= 30 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // anything extra would arrive now

	mu.Lock()
	defer mu.Unlock()
	if most != 1 {
		t.Errorf("a hook had %d deliveries under way at once, want 1", most)
	}
	if mostAtAll < 2 {
		t.Errorf("at most %d deliveries were under way at once across three hooks: hooks should not wait on each other", mostAtAll)
	}
	for _, path := range targets {
		if !slices.Equal(got[path], events) {
			t.Errorf("%s got %d events %v, want the 10 once each, in order %v", path, len(got[path]), got[path], events)
		}
	}
}

// runInBackground runs the fixture's worker until the test ends, then waits for it to stop.
func (f *fixture) runInBackground(t *testing.T) {
	f.worker.Interval = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.worker.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}
