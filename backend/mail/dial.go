package mail

import (
	"context"
	"crypto/tls"
	"net"
	"time"
)

// connection dials the server for one attempt that must end by end. Every deadline go-mail
// sets is kept within end, so an attempt never outlasts the lease that keeps other workers
// from making it too. For smtps it does the TLS handshake itself: go-mail's own TLS dialing
// does not apply once a dialer is given.
type connection struct {
	end    time.Time
	tls    *tls.Config // for smtps; nil otherwise
	opened net.Conn    // closed after the attempt whatever happened, as go-mail may not
}

func (c *connection) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.opened = raw
	conn := &boundedConn{Conn: raw, end: c.end}
	if err := conn.SetDeadline(c.end); err != nil {
		return nil, err
	}
	if c.tls == nil {
		return conn, nil
	}
	tc := tls.Client(conn, c.tls)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, err
	}
	return tc, nil
}

func (c *connection) close() {
	if c.opened != nil {
		c.opened.Close()
	}
}

// boundedConn moves any later deadline back to end.
type boundedConn struct {
	net.Conn
	end time.Time
}

func (c *boundedConn) SetDeadline(t time.Time) error      { return c.Conn.SetDeadline(c.bound(t)) }
func (c *boundedConn) SetReadDeadline(t time.Time) error  { return c.Conn.SetReadDeadline(c.bound(t)) }
func (c *boundedConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(c.bound(t)) }

func (c *boundedConn) bound(t time.Time) time.Time {
	if t.IsZero() || t.After(c.end) {
		return c.end
	}
	return t
}
