package edge

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// bodyTimeout is how long a client has to send its body once its headers are in: the read
// timeout the whole request used to have, so no client that worked before is cut now.
const bodyTimeout = 15 * time.Second

// Deadline gives every request d to be answered. Every database call takes the request's
// context, so when d passes they stop and the request answers 503 with Retry-After, instead
// of running on until the server's write timeout cuts the connection without an answer.
func Deadline(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// ReadBodyFirst reads the whole body, capped, before anything touches the database, and serves
// it from memory from then on. A slow database then never makes a body time out (a valid
// conversion used to be answered 400 when a lock held it past the read timeout), and a client
// that trickles its body gets 408 without ever holding a database connection.
func ReadBodyFirst(c *gin.Context) {
	if m := c.Request.Method; m == http.MethodGet || m == http.MethodHead || m == http.MethodDelete {
		c.Next()
		return
	}
	if c.Request.ContentLength > maxBody {
		Refuse(c, EBodyTooLarge, "The request body is larger than 64 KiB.")
		return
	}
	until := time.Now().Add(bodyTimeout)
	if d, ok := c.Request.Context().Deadline(); ok && d.Before(until) {
		until = d
	}
	rc := http.NewResponseController(c.Writer)
	rc.SetReadDeadline(until) // not supported by test recorders, which need no deadline
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
	if err != nil {
		// The rest of the body will never be read: the connection cannot carry another request.
		// The expired deadline stays, so net/http does not wait for the rest before answering.
		c.Header("Connection", "close")
	} else {
		rc.SetReadDeadline(time.Time{})
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		Refuse(c, EBodyTooLarge, "The request body is larger than 64 KiB.")
		return
	case errors.Is(err, os.ErrDeadlineExceeded):
		Refuse(c, ERequestTimeout, "The request body did not arrive in time; send it again.")
		return
	case err != nil:
		Refuse(c, EMalformed, "The request body could not be read.")
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	c.Next()
}

// Share lets at most n requests of one surface (the API, the pages) at the database at once,
// so that one surface piling up behind a lock leaves connections for the others; the rest wait
// for a turn within their deadline. n below 1 lets every request through.
func Share(n int) gin.HandlerFunc {
	if n < 1 {
		return func(c *gin.Context) { c.Next() }
	}
	turns := make(chan struct{}, n)
	return func(c *gin.Context) {
		select {
		case turns <- struct{}{}:
			defer func() { <-turns }()
			c.Next()
		case <-c.Request.Context().Done():
			Fail(c, referral.Unavailable(c.Request.Context().Err()))
		}
	}
}
