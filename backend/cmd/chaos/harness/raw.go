package harness

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Raw writes hand-made bytes on a new connection and reads the answer: for requests that no
// well-behaved client library would send, such as a NUL in a header.
func (c *Client) Raw(ctx context.Context, label string, raw []byte, kind Kind) *Answer {
	a := c.raw(ctx, raw)
	method, path, _ := strings.Cut(label, " ")
	c.Tally.Observe(method, path, a, kind)
	return a
}

func (c *Client) raw(ctx context.Context, raw []byte) *Answer {
	a := &Answer{}
	start := time.Now()
	defer func() { a.At, a.Took = time.Now(), time.Since(start) }()
	conn, err := c.Dial(ctx)
	if err != nil {
		a.Err = err
		return a
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(c.Patience.PerAttempt))
	if _, a.Err = conn.Write(raw); a.Err != nil {
		return a
	}
	a.Written = true
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		a.Err = err
		return a
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		a.Err = err
		return a
	}
	a.Status, a.Header, a.Body = res.StatusCode, res.Header, body
	return a
}

// Dial opens a plain connection to the client's server from the client's address.
func (c *Client) Dial(ctx context.Context) (net.Conn, error) {
	return c.dialer.DialContext(ctx, "tcp", strings.TrimPrefix(c.Base, "http://"))
}

// Trickle writes a request's head at once and its body one byte at a time over d, as a
// client on a poor connection does, then reads the answer.
func (c *Client) Trickle(ctx context.Context, label string, head, body []byte, d time.Duration, kind Kind) *Answer {
	a := &Answer{}
	start := time.Now()
	func() {
		conn, err := c.Dial(ctx)
		if err != nil {
			a.Err = err
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(d + c.Patience.PerAttempt))
		if _, a.Err = conn.Write(head); a.Err != nil {
			return
		}
		gap := d / time.Duration(max(len(body), 1))
		for i := range body {
			select {
			case <-ctx.Done():
				a.Err = ctx.Err()
				return
			case <-time.After(gap):
			}
			if _, a.Err = conn.Write(body[i : i+1]); a.Err != nil {
				return
			}
		}
		a.Written = true
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			a.Err = err
			return
		}
		defer res.Body.Close()
		a.Body, a.Err = io.ReadAll(io.LimitReader(res.Body, 4<<20))
		if a.Err == nil {
			a.Status, a.Header = res.StatusCode, res.Header
		}
	}()
	a.At, a.Took = time.Now(), time.Since(start)
	method, path, _ := strings.Cut(label, " ")
	c.Tally.Observe(method, path, a, kind)
	return a
}
