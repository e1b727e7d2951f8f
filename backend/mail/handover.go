package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// verdict is what one attempt to hand a message over came to.
type verdict int

const (
	accepted    verdict = iota // the server took it: sent
	held                       // no server: kept in the mailbox
	tryLater                   // no connection, a 4xx, or lost before the data was all sent
	refused                    // a 5xx: the server will never take it
	unconfirmed                // the data went out but no answer came: it may have arrived
)

// send hands message m, composed as c, to the server (without one it is held) and says what
// came of it, with why in words for staff when it did not go.
func (s *Sender) send(ctx context.Context, p *referral.Practice, m *referral.Message, c Composed, at time.Time) (verdict, string) {
	if s.server == nil {
		return held, ""
	}
	msg, err := s.envelope(p, m, c, at)
	if err != nil {
		return refused, "Not sent: " + err.Error()
	}
	return s.handOver(ctx, msg)
}

// handOver gives msg to the server over a connection of its own, within the timeout.
func (s *Sender) handOver(ctx context.Context, msg *gomail.Msg) (verdict, string) {
	end := time.Now().Add(s.timeout())
	ctx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	conn := &connection{end: end}
	if s.server.Security == ImplicitTLS {
		conn.tls = s.tlsConfig()
	}
	defer conn.close()
	client, err := gomail.NewClient(s.server.Host, s.options(conn)...)
	if err != nil {
		return tryLater, err.Error()
	}
	smtp, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return tryLater, "Could not reach the mail server: " + s.plain(err.Error())
	}
	defer client.CloseWithSMTPClient(smtp) // QUIT: whatever it answers changes nothing
	err = client.SendWithSMTPClient(smtp, msg)
	if err == nil || msg.IsDelivered() { // delivered, and only RSET failed after
		return accepted, ""
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return tryLater, err.Error()
	}
	reply := s.plain(serverReply(se))
	switch code := se.ErrorCode(); {
	case se.Reason == gomail.ErrSMTPDataClose && code == 0:
		return unconfirmed, notConfirmed
	case code >= 500:
		return refused, "Refused by the mail server: " + reply
	default:
		return tryLater, reply
	}
}

func (s *Sender) options(conn *connection) []gomail.Option {
	tc := s.tlsConfig()
	opts := []gomail.Option{gomail.WithPort(s.server.Port), gomail.WithTimeout(s.timeout()),
		gomail.WithDialContextFunc(conn.dial)}
	switch s.server.Security {
	case StartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case Opportunistic:
		// No password travels on this connection, and the alternative to TLS with a relay's
		// self-signed certificate is no TLS at all: encrypt without checking whom to.
		tc.InsecureSkipVerify = true
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL()) // conn.dial speaks TLS; no STARTTLS on top
	}
	opts = append(opts, gomail.WithTLSConfig(tc))
	if s.server.Username != "" {
		// PLAIN, or LOGIN for servers that offer only that; go-mail sends either only over TLS.
		opts = append(opts, gomail.WithUsername(s.server.Username), gomail.WithPassword(s.server.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
	}
	return opts
}

func (s *Sender) tlsConfig() *tls.Config {
	tc := &tls.Config{}
	if s.TLSConfig != nil {
		tc = s.TLSConfig.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = s.server.Host
	}
	tc.MinVersion = max(tc.MinVersion, tls.VersionTLS12)
	return tc
}
