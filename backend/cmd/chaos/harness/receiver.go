package harness

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/advocateloop/advocateloop/backend/webhook"
)

// Reply is how a receiver answers one delivery.
type Reply struct {
	Status     int
	RetryAfter int           // seconds, sent when above zero
	Hang       time.Duration // wait this long first (or until the sender gives up)
}

// Receiver is a hook target on loopback: it answers as its behaviour says and remembers every
// delivery it saw.
type Receiver struct {
	Name   string
	URL    string
	secret string
	// behave says how to answer the attempt-th delivery of one event (1 for the first).
	behave  func(attempt int) Reply
	srv     *http.Server
	closing chan struct{}

	mu      sync.Mutex
	seen    map[string]int       // deliveries per event id
	acked   map[string]time.Time // first 2xx answer per event id
	goneAt  time.Time            // when it first answered 410
	late    int                  // deliveries that arrived after it answered 410
	badSigs int
}

// NewReceiver listens on a free loopback port. secret is the practice's webhook secret, to
// check every delivery's signature.
func NewReceiver(name, secret string, behave func(attempt int) Reply) (*Receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Receiver{Name: name, URL: "http://" + ln.Addr().String() + "/hook", secret: secret, behave: behave,
		closing: make(chan struct{}), seen: map[string]int{}, acked: map[string]time.Time{}}
	r.srv = &http.Server{Handler: http.HandlerFunc(r.serve), ReadHeaderTimeout: 5 * time.Second}
	go r.srv.Serve(ln)
	return r, nil
}

// Healthy answers 200 at once.
func Healthy(int) Reply { return Reply{Status: http.StatusOK} }

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	arrived := time.Now()
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	var event struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &event)
	_, err := webhook.Verify([]string{r.secret}, req.Header, body, arrived)

	r.mu.Lock()
	if err != nil || req.Header.Get("webhook-id") != event.ID {
		r.badSigs++
	}
	if !r.goneAt.IsZero() && arrived.After(r.goneAt) {
		r.late++
	}
	r.seen[event.ID]++
	reply := r.behave(r.seen[event.ID])
	r.mu.Unlock()

	if reply.Hang > 0 {
		select {
		case <-time.After(reply.Hang):
		case <-req.Context().Done():
			return
		case <-r.closing:
			return
		}
	}
	if reply.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(reply.RetryAfter))
	}
	w.WriteHeader(reply.Status)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case reply.Status == http.StatusGone && r.goneAt.IsZero():
		r.goneAt = time.Now()
	case reply.Status >= 200 && reply.Status < 300:
		if _, ok := r.acked[event.ID]; !ok {
			r.acked[event.ID] = time.Now()
		}
	}
}

// Acked is when the receiver first took each event with a 2xx.
func (r *Receiver) Acked() map[string]time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]time.Time, len(r.acked))
	for id, at := range r.acked {
		out[id] = at
	}
	return out
}

// Seen is how many deliveries of each event arrived.
func (r *Receiver) Seen() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.seen))
	for id, n := range r.seen {
		out[id] = n
	}
	return out
}

// AfterGone counts deliveries that arrived after the receiver had answered 410.
func (r *Receiver) AfterGone() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.late
}

// BadSignatures counts deliveries whose Standard Webhooks signature did not verify.
func (r *Receiver) BadSignatures() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.badSigs
}

// Close stops the receiver, releasing any delivery it holds.
func (r *Receiver) Close() {
	close(r.closing)
	r.srv.Close()
}
