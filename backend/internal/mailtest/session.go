package mailtest

import (
	"errors"
	"io"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// backend is the Server as go-smtp sees it, kept out of the Server's own methods.
type backend struct{ *Server }

// NewSession starts a conversation at EHLO (again after STARTTLS).
func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s := b.Server
	if err := s.troubleAt(AtConnect); err != nil {
		return nil, err
	}
	_, tls := c.TLSConnectionState()
	return &session{server: s, tls: tls}, nil
}

// session is one client's conversation: who signed in and the message being sent.
type session struct {
	server *Server
	tls    bool
	user   string
	msg    Message
}

func (ss *session) AuthMechanisms() []string {
	if ss.server.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.server.user == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, password string) error {
		ss.server.login(Login{User: user, TLS: ss.tls})
		if user != ss.server.user || password != ss.server.password {
			return errors.New("invalid user or password")
		}
		ss.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.server.user != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	if err := ss.server.troubleAt(AtMail); err != nil {
		return err
	}
	ss.msg = Message{From: from, TLS: ss.tls, User: ss.user}
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.server.troubleAt(AtRcpt); err != nil {
		return err
	}
	ss.msg.To = append(ss.msg.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := ss.msg
	m.Raw = raw
	if t := ss.server.current(); t != nil && t.at == AtData && t.refusal != nil {
		return t.refusal
	}
	ss.server.keep(m) // before a stall too: a server that stalls may have kept it all the same
	return ss.server.troubleAt(AtData)
}

func (ss *session) Reset()        { ss.msg = Message{} }
func (ss *session) Logout() error { return nil }
