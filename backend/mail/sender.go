package mail

import (
	"crypto/tls"
	"fmt"
	netmail "net/mail"
	"time"
)

// Sender hands messages to the SMTP server, or keeps them in the built-in mailbox when there
// is none. Each message gets a connection of its own, so a Sender is safe for concurrent use.
type Sender struct {
	server *Server // nil: the built-in mailbox
	from   *netmail.Address
	// TLSConfig, when set, replaces the system's trust store (which honours SSL_CERT_FILE);
	// in-process tests trust their own certificate authority with it.
	TLSConfig *tls.Config
	// Timeout bounds one whole conversation with the server: connecting, TLS, signing in and
	// sending. DefaultTimeout unless set.
	Timeout time.Duration
}

// DefaultTimeout is how long one attempt to hand a message over may take.
const DefaultTimeout = 10 * time.Second

// NewSender is a sender for smtpURL (see ParseURL), or the built-in mailbox when it is empty,
// sending as from (see ParseFrom).
func NewSender(smtpURL, from, publicURL string) (*Sender, error) {
	s := &Sender{Timeout: DefaultTimeout}
	var err error
	if s.from, err = ParseFrom(from, publicURL); err != nil {
		return nil, fmt.Errorf("mail: the sender's address %w", err)
	}
	if smtpURL != "" {
		if s.server, err = ParseURL(smtpURL); err != nil {
			return nil, fmt.Errorf("mail: the SMTP URL %w", err)
		}
	}
	return s, nil
}

// Delivering tells whether email leaves at all; if not, it waits in the dashboard's mailbox.
func (s *Sender) Delivering() bool { return s.server != nil }

// Description names where email goes, never with the password:
// "smtp://user@mail.example.com:587 (STARTTLS)", or the built-in mailbox.
func (s *Sender) Description() string {
	if s.server == nil {
		return "the built-in mailbox (no SMTP server is set)"
	}
	return s.server.String()
}

// From is the sender recipients see, {practice} standing for each practice's name:
// "{practice} via AdvocateLoop" <rewards@refer.example.com>.
func (s *Sender) From() string { return s.fromFor("{practice}").String() }

func (s *Sender) fromFor(practice string) *netmail.Address {
	return &netmail.Address{Name: practice + " via " + s.from.Name, Address: s.from.Address}
}

func (s *Sender) timeout() time.Duration {
	if s.Timeout <= 0 {
		return DefaultTimeout
	}
	return s.Timeout
}
