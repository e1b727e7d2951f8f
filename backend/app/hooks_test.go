package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/config"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// A hook subscribed through the API receives the event its Zap waits for, from the server's
// own delivery worker, in the shape GET /v1/events lists.
func TestHookDeliveredByTheServer(t *testing.T) {
	s := mustServe(t, func(c *config.Config) {
		c.AllowPrivateHooks, c.DeliveryInterval = true, 50*time.Millisecond
	})
	p := s.mustPractice(t, "Glow Aesthetics")
	arrived := make(chan []byte, 4)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		arrived <- b
	}))
	defer receiver.Close()

	res := p.Client.Post("/v1/hooks", map[string]any{"event": "advocate.created", "target_url": receiver.URL + "/zap"})
	if res.Status != 201 {
		t.Fatalf("subscribe: %d %s", res.Status, res.Body)
	}
	var hook referral.Hook
	res.JSON(t, &hook)

	p.Client.Post("/v1/advocates", map[string]any{"name": "Jane Avery", "email": "jane@example.com"})
	var delivered referral.Event
	select {
	case b := <-arrived:
		if err := json.Unmarshal(b, &delivered); err != nil {
			t.Fatalf("delivered %s: %v", b, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery within 10s")
	}
	var listed struct {
		Data []referral.Event `json:"data"`
	}
	p.Client.Get("/v1/events?type=advocate.created").JSON(t, &listed)
	if len(listed.Data) != 1 || listed.Data[0].ID != delivered.ID || string(listed.Data[0].Data) != string(delivered.Data) {
		t.Fatalf("delivered %+v, listed %+v", delivered, listed.Data)
	}

	var hooks struct {
		Data []referral.Hook `json:"data"`
	}
	p.Client.Get("/v1/hooks").JSON(t, &hooks)
	if len(hooks.Data) != 1 || hooks.Data[0].ID != hook.ID {
		t.Fatalf("hooks = %+v", hooks.Data)
	}
	other := s.mustPractice(t, "Other Spa")
	if res := other.Client.Do("DELETE", "/v1/hooks/"+hook.ID, nil); res.Status != 404 {
		t.Errorf("another practice unsubscribed: %d", res.Status)
	}
	if res := p.Client.Do("DELETE", "/v1/hooks/"+hook.ID, nil); res.Status != 204 {
		t.Fatalf("unsubscribe: %d %s", res.Status, res.Body)
	}
	if res := p.Client.Do("DELETE", "/v1/hooks/"+hook.ID, nil); res.Status != 404 {
		t.Errorf("unsubscribe twice: %d", res.Status)
	}
}

// Without the development setting, hooks into private networks are refused.
func TestHookTargetsMustBePublic(t *testing.T) {
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics")
	for _, target := range []string{"http://127.0.0.1:9/x", "http://169.254.169.254/latest", "http://10.0.0.5/x", "ftp://example.com/x", "not a url"} {
		res := p.Client.Post("/v1/hooks", map[string]any{"event": "conversion.recorded", "target_url": target})
		if res.Status != 422 {
			t.Errorf("%s: %d, want 422", target, res.Status)
			continue
		}
		if _, ok := res.Problem(t).Field("target_url"); !ok {
			t.Errorf("%s: problem does not name target_url", target)
		}
	}
	res := p.Client.WithoutRequestCheck().Post("/v1/hooks", map[string]any{"event": "invoice.paid", "target_url": "https://hooks.zapier.com/x"})
	if res.Status != 422 {
		t.Errorf("unknown event: %d", res.Status)
	}
	if n := s.count(t, "hooks"); n != 0 {
		t.Errorf("%d hooks stored", n)
	}
}
