// Package mailtest runs a real SMTP server on 127.0.0.1 for tests, built on
// github.com/emersion/go-smtp. It keeps every message it accepts (envelope and raw bytes) and
// can be told to require a password, to speak TLS (STARTTLS, or implicit TLS with a
// certificate made for the test run), to refuse with a chosen reply at a chosen stage, or to
// stall until told to recover, so tests see what a real mail server would do to a client.
// Parse reads a received message with the standard library, as a mail client would.
//
//	srv := mailtest.Start(t, mailtest.WithStartTLS(), mailtest.WithAuth("ann", "s3cret"))
//	// ADVOCATELOOP_SMTP_URL=srv.URL(), and trust srv.RootCAs() (or SSL_CERT_FILE=srv.CAFile(t))
//	got := srv.WaitFor(t, 1)
//	msg := mailtest.MustParse(t, got[0].Raw)
package mailtest

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string   // MAIL FROM
	To   []string // RCPT TO
	Raw  []byte   // the message as sent: headers and body
	TLS  bool     // it arrived over TLS
	User string   // who signed in to send it, if anyone
}

// Login is one AUTH attempt, kept so tests can prove a password never travelled in clear.
type Login struct {
	User string
	TLS  bool
}

// Option changes how the server behaves.
type Option func(*Server)

// WithAuth requires AUTH PLAIN with this user and password before MAIL. Without TLS the server
// offers AUTH in clear, as a careless server might, so a test can check a client never uses it.
func WithAuth(user, password string) Option {
	return func(s *Server) { s.user, s.password = user, password }
}

// WithStartTLS offers STARTTLS with the test certificate.
func WithStartTLS() Option { return func(s *Server) { s.startTLS = true } }

// WithImplicitTLS speaks TLS from the first byte (smtps).
func WithImplicitTLS() Option { return func(s *Server) { s.implicitTLS = true } }

// Server is a running SMTP server; Start stops it when the test ends.
type Server struct {
	user, password        string
	startTLS, implicitTLS bool
	addr                  string
	closed                chan struct{}

	mu       sync.Mutex
	messages []Message
	logins   []Login
	trouble  *trouble
	arrived  chan struct{} // closed and replaced whenever a message arrives
}

// Start runs a server on a free loopback port until tb ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{closed: make(chan struct{}), arrived: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = ln.Addr().String()
	srv := smtp.NewServer(backend{s})
	srv.Domain = "mailtest.localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if s.startTLS || s.implicitTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{testCert().pair}, MinVersion: tls.VersionTLS12}
	}
	if s.implicitTLS {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	// A password offered without TLS is the trap WithAuth describes.
	srv.AllowInsecureAuth = srv.TLSConfig == nil
	go srv.Serve(ln)
	tb.Cleanup(func() {
		close(s.closed) // stalled sessions give up
		srv.Close()
	})
	return s
}

// URL is the ADVOCATELOOP_SMTP_URL that reaches this server: smtps:// with implicit TLS,
// smtp:// otherwise, with the user and password of WithAuth.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr}
	if s.implicitTLS {
		u.Scheme = "smtps"
	}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.password)
	}
	return u.String()
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// RootCAs trusts the server's certificate, for a client's tls.Config.
func (s *Server) RootCAs() *x509.CertPool { return testCert().pool }

// CAFile writes the certificate to a PEM file in tb's temp dir and returns its path, for
// SSL_CERT_FILE in the environment of a real binary.
func (s *Server) CAFile(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "mailtest-ca.pem")
	if err := os.WriteFile(path, testCert().pem, 0o600); err != nil {
		tb.Fatalf("mailtest: %v", err)
	}
	return path
}

// Messages is what the server accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Logins is every AUTH attempt so far.
func (s *Server) Logins() []Login {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Login(nil), s.logins...)
}

// WaitFor waits up to 10 seconds for at least n messages and returns all of them; fewer fails tb.
func (s *Server) WaitFor(tb testing.TB, n int) []Message {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		got, arrived := len(s.messages), s.arrived
		s.mu.Unlock()
		if got >= n {
			return s.Messages()
		}
		select {
		case <-arrived:
		case <-deadline:
			tb.Fatalf("mailtest: %d messages arrived within 10s, want %d", got, n)
			return nil
		}
	}
}

func (s *Server) keep(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

func (s *Server) login(l Login) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins = append(s.logins, l)
}
