package mail

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Server is the SMTP server email is handed to, as ADVOCATELOOP_SMTP_URL names it.
type Server struct {
	Host     string
	Port     int
	Username string // empty: a relay that takes mail without signing in
	Password string
	Security Security
}

// Security is how the connection to the server is protected.
type Security int

const (
	// StartTLS: smtp:// with a user. The connection must switch to TLS before the password is
	// sent; a server that does not offer it gets nothing.
	StartTLS Security = iota
	// Opportunistic: smtp:// without a user, a local relay. TLS when the server offers it.
	Opportunistic
	// ImplicitTLS: smtps://, TLS from the first byte.
	ImplicitTLS
)

var urlForms = "must look like smtp://user:password@host:587 (STARTTLS), smtp://host:25 (a relay without a password) or smtps://user:password@host:465 (TLS)"

// ParseURL reads an SMTP URL. User and password are URL-decoded, so a password may hold any
// character written as %XX. The port defaults to 465 for smtps, 587 for smtp with a user and
// 25 without. Errors never repeat the password.
func ParseURL(raw string) (*Server, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, errors.New(urlForms + "; it could not be read as a URL")
	}
	s := &Server{Host: u.Hostname()}
	switch strings.ToLower(u.Scheme) {
	case "smtp":
		s.Security = Opportunistic
	case "smtps":
		s.Security = ImplicitTLS
	default:
		return nil, fmt.Errorf("%s, not %s", urlForms, u.Redacted())
	}
	if s.Host == "" || u.Opaque != "" {
		return nil, fmt.Errorf("%s: the host is missing in %s", urlForms, u.Redacted())
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s: %s has a path or options, which are not understood", urlForms, u.Redacted())
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
		if s.Username == "" || s.Password == "" {
			return nil, fmt.Errorf("%s: give both a user and a password, or neither", urlForms)
		}
		if s.Security == Opportunistic {
			s.Security = StartTLS // a password never travels in clear
		}
	}
	switch port := u.Port(); {
	case port != "":
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%s: port %q is not a port number", urlForms, port)
		}
		s.Port = n
	case s.Security == ImplicitTLS:
		s.Port = 465
	case s.Security == StartTLS:
		s.Port = 587
	default:
		s.Port = 25
	}
	return s, nil
}

// String names the server for people: its URL without the password, and how it is protected.
func (s *Server) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(s.Host, strconv.Itoa(s.Port))}
	if s.Username != "" {
		u.User = url.User(s.Username)
	}
	how := "STARTTLS"
	switch s.Security {
	case Opportunistic:
		how = "STARTTLS when offered, no password"
	case ImplicitTLS:
		u.Scheme, how = "smtps", "TLS"
	}
	return u.String() + " (" + how + ")"
}
