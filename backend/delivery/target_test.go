package delivery_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/delivery"
)

func TestPrivateTargetsRefused(t *testing.T) {
	check := delivery.TargetCheck(false)
	for _, target := range []string{"http://127.0.0.1:8080/h", "http://localhost/h", "http://10.1.2.3/h",
		"http://192.168.1.10/h", "http://172.16.0.1/h", "http://169.254.169.254/latest/meta-data",
		"http://[::1]/h", "http://[fe80::1]/h", "http://100.64.0.1/h", "http://0.0.0.0/h"} {
		u, _ := url.Parse(target)
		if err := check(u); err == nil {
			t.Errorf("%s was accepted", target)
		}
	}
	u, _ := url.Parse("https://93.184.216.34/hook") // a public address, no DNS needed
	if err := check(u); err != nil {
		t.Errorf("a public address was refused: %v", err)
	}
	if err := delivery.TargetCheck(true)(&url.URL{Scheme: "http", Host: "127.0.0.1"}); err != nil {
		t.Errorf("development setting did not allow loopback: %v", err)
	}
}

// The dialer refuses private addresses too, whatever a name resolved to when subscribed.
func TestWorkerWillNotConnectToPrivateAddresses(t *testing.T) {
	f, r := setup(t, func(int) int { return 200 })
	f.worker = delivery.New(f.db, time.Second, false)
	f.worker.Now = f.clock.Now
	f.mustEvent(t, "jane@example.com")
	if _, err := f.worker.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r.count() != 0 {
		t.Fatal("the worker connected to a loopback receiver")
	}
	if h := f.hook(t); !strings.Contains(h.LastError, "private") {
		t.Errorf("last error = %q", h.LastError)
	}
}
