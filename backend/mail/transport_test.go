package mail_test

import (
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/internal/mailtest"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Each form of ADVOCATELOOP_SMTP_URL reaches its kind of server, protected as it promises.
func TestEachURLFormDelivers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    []mailtest.Option
		trusted bool // the sender trusts the server's certificate
		tls     bool // the message travelled encrypted
	}{
		{"a relay without a password", nil, true, false},
		{"a relay whose STARTTLS certificate no one checks", []mailtest.Option{mailtest.WithStartTLS()}, false, true},
		{"STARTTLS and a password", []mailtest.Option{mailtest.WithStartTLS(), mailtest.WithAuth("ann@glow.example", "p@ss:w0rd/%")}, true, true},
		{"implicit TLS and a password", []mailtest.Option{mailtest.WithImplicitTLS(), mailtest.WithAuth("ann", "s3cret")}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := mustFixture(t, tc.opts...)
			if !tc.trusted {
				f.sender.TLSConfig = nil // the system's trust store, which knows nothing of the test's certificate
			}
			f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
			f.run(t)
			got := f.server.WaitFor(t, 1)
			if got[0].TLS != tc.tls || got[0].To[0] != "jane@patients.example" {
				t.Errorf("arrived over TLS %v to %v, want TLS %v", got[0].TLS, got[0].To, tc.tls)
			}
			for _, l := range f.server.Logins() {
				if !l.TLS {
					t.Errorf("a password travelled in clear: %+v", l)
				}
			}
			if m := f.only(t, referral.AdvocateWelcome); m.Status != referral.MessageSent {
				t.Errorf("status %s: %s", m.Status, m.LastError)
			}
		})
	}
}

// A password is sent only over TLS: to a server that offers no STARTTLS, or whose certificate
// the system does not trust, nothing is sent and the message waits for a retry.
func TestPasswordNeverTravelsInClear(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []mailtest.Option
		why  string
	}{
		{"a server offering AUTH without TLS", []mailtest.Option{mailtest.WithAuth("ann", "s3cret")}, "STARTTLS"},
		{"STARTTLS with an untrusted certificate", []mailtest.Option{mailtest.WithStartTLS(), mailtest.WithAuth("ann", "s3cret")}, "certificate"},
		{"implicit TLS with an untrusted certificate", []mailtest.Option{mailtest.WithImplicitTLS(), mailtest.WithAuth("ann", "s3cret")}, "certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := mustFixture(t, tc.opts...)
			f.sender.TLSConfig = nil
			f.mustAdvocate(t, "Jane Avery", "jane@patients.example")
			f.run(t)
			m := f.only(t, referral.AdvocateWelcome)
			t.Logf("last error: %s", m.LastError)
			if m.Status != referral.MessageQueued || !strings.Contains(m.LastError, tc.why) {
				t.Errorf("status %s, last error %q: want queued for a retry, saying %q", m.Status, m.LastError, tc.why)
			}
			if n := len(f.server.Messages()); n != 0 {
				t.Errorf("%d messages arrived", n)
			}
			if l := f.server.Logins(); len(l) != 0 {
				t.Errorf("the password was offered: %+v", l)
			}
		})
	}
}
