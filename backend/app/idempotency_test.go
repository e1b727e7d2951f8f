package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/api"
	"github.com/advocateloop/advocateloop/backend/apitest"
	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/internal/testdb"
	"github.com/advocateloop/advocateloop/backend/storage"
)

// A server that died mid-request leaves its key claimed with no answer. The client's retry
// gets through as soon as the claim is a lease old (seconds), not after a minute of 409s.
func TestIdempotencyKeyOfADeadServerIsFreeAgain(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	a := s.mustPractice(t, "Glow Aesthetics")
	body := []byte(`{"name":"Ola Olsen","email":"ola@a.example"}`)
	hash := api.RequestHash("POST", "/v1/advocates", body)
	ctx := context.Background()

	// The dead server claimed the key, and last renewed it, just over a lease ago.
	died := time.Now().UTC().Add(-storage.DefaultIdempotencyLease - 100*time.Millisecond)
	if _, err := s.App.DB.ClaimIdempotencyKey(ctx, a.ID, "crashed", hash, died); err != nil {
		t.Fatal(err)
	}
	first := a.Client.For(t).RawDo("POST", "/v1/advocates", body, "application/json", "Idempotency-Key", "crashed")
	if first.Status != 201 || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("the retry after the crash: %d replayed=%q, want a new 201\n\t%s", first.Status, first.Header.Get("Idempotent-Replayed"), first.Body)
	}
	again := a.Client.For(t).RawDo("POST", "/v1/advocates", body, "application/json", "Idempotency-Key", "crashed")
	if again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Errorf("the retry's retry: %d replayed=%q, want the same 201 replayed", again.Status, again.Header.Get("Idempotent-Replayed"))
	}

	// A claim renewed within the lease is a live request's: still 409.
	alive := time.Now().UTC().Add(-storage.DefaultIdempotencyLease / 2)
	if _, err := s.App.DB.ClaimIdempotencyKey(ctx, a.ID, "alive", hash, alive); err != nil {
		t.Fatal(err)
	}
	res := a.Client.For(t).RawDo("POST", "/v1/advocates", body, "application/json", "Idempotency-Key", "alive")
	expectProblem(t, res.Status, res.Problem(t).Slug(), 409, "request-in-progress")
}

// The same JSON re-ordered, re-indented or escaped differently is the same request; numbers
// count as written, and any other change is another request.
func TestIdempotencyKeyHashesTheJSONNotItsBytes(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	a := s.mustPractice(t, "Glow Aesthetics")
	send := func(t *testing.T, body string) *apitest.Response {
		return a.Client.For(t).RawDo("POST", "/v1/advocates", []byte(body), "application/json", "Idempotency-Key", "nia-1")
	}
	first := send(t, `{"name":"Nia North","email":"nia@a.example","source":{"campaign":"spring","n":1.50}}`)
	if first.Status != 201 {
		t.Fatalf("first: %d %s", first.Status, first.Body)
	}
	for _, same := range []string{
		"{\n  \"email\": \"nia@a.example\",\n  \"source\": {\"n\": 1.50, \"campaign\": \"spring\"},\n  \"name\": \"Nia North\"\n}\n",
		`{"source":{"campaign":"spr\u0069ng","n":1.50},"name":"Nia\u0020North","email":"nia@a.example"}`,
	} {
		res := send(t, same)
		if res.Status != 201 || res.Header.Get("Idempotent-Replayed") != "true" || string(res.Body) != string(first.Body) {
			t.Errorf("%s: %d replayed=%q, want the first 201 replayed", same, res.Status, res.Header.Get("Idempotent-Replayed"))
		}
	}
	before := s.rows(t)
	for _, other := range []string{
		`{"name":"Nia North","email":"nia@a.example","source":{"campaign":"spring","n":1.5}}`,
		`{"name":"Nia North","email":"nia@a.example","source":{"campaign":"spring","n":1.50},"extra":null}`,
		`{"name":"Nia North","email":"nia@a.example","source":{"campaign":"Spring","n":1.50}}`,
		`{"name":"Nia North","email":"nia@a.example"}`,
	} {
		res := send(t, other)
		expectProblem(t, res.Status, res.Problem(t).Slug(), 422, "idempotency-key-reused")
	}
	assertSameRows(t, before, s.rows(t))
}

// A request held up by the database keeps its key, on its own server and on every other
// server of the same database, for as long as it runs, many leases over: its server renews
// the claim while it waits. Needs PostgreSQL: on SQLite the lock that holds the request up
// holds every other write, renewals and duplicates' claims included, so nothing can race it.
func TestIdempotencyKeyHeldWhileItsRequestRuns(t *testing.T) {
	if !testdb.Postgres() {
		t.Skip("needs PostgreSQL: SQLite's one writer serialises the duplicates behind the request")
	}
	t.Parallel()
	const lease = time.Second
	short := func(c *config.Config) { c.IdempotencyLease = lease }
	s := mustServe(t, short)
	other := mustServe(t, short, func(c *config.Config) { c.DatabaseURL = s.App.Config.DatabaseURL })
	a := s.mustPractice(t, "Glow Aesthetics")
	onOther := other.Client.WithKey(a.Key)
	body := []byte(`{"name":"Ola Olsen","email":"ola@a.example"}`)

	// Hold the practice as a long transaction would: creating an advocate waits for it.
	ctx := context.Background()
	hold, err := s.App.DB.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hold.Exec(`SELECT id FROM practices WHERE id = $1 FOR NO KEY UPDATE`, a.ID); err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	release := func() {
		select {
		case <-released:
		default:
			close(released)
			hold.Rollback()
		}
	}
	defer release()
	time.AfterFunc(10*time.Second, release) // should a duplicate wait for it, the test ends all the same

	answered := make(chan *apitest.Response, 1)
	go func() {
		answered <- a.Client.RawDo("POST", "/v1/advocates", body, "application/json", "Idempotency-Key", "slow")
	}()
	for deadline := time.Now().Add(5 * time.Second); s.count(t, "idempotency_keys") == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the request never claimed its key")
		}
	}
	time.Sleep(2 * lease) // twice the lease: without renewals the claim would have lapsed

	for name, c := range map[string]*apitest.Client{"its own server": a.Client, "another server": onOther} {
		res := c.For(t).RawDo("POST", "/v1/advocates", body, "application/json", "Idempotency-Key", "slow")
		select {
		case <-released:
			t.Fatalf("%s: the duplicate waited for the request instead of being refused", name)
		default:
		}
		expectProblem(t, res.Status, res.Problem(t).Slug(), 409, "request-in-progress")
	}

	release()
	first := <-answered
	if first.Status != 201 {
		t.Fatalf("the slow request: %d %s", first.Status, first.Body)
	}
	res := onOther.For(t).RawDo("POST", "/v1/advocates", body, "application/json", "Idempotency-Key", "slow")
	if res.Status != 201 || res.Header.Get("Idempotent-Replayed") != "true" || string(res.Body) != string(first.Body) {
		t.Errorf("after it answered: %d replayed=%q, want its 201 replayed", res.Status, res.Header.Get("Idempotent-Replayed"))
	}
	if n := s.count(t, "advocates"); n != 1 {
		t.Errorf("%d advocates, want 1", n)
	}
}
