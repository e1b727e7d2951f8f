package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/edge"
)

// decode reads a JSON object into dst, or answers the problem and stops the request.
func decode(c *gin.Context, dst any) bool {
	if !edge.Decode(c.Writer, c.Request, dst) {
		c.Abort()
		return false
	}
	return true
}

// readBody reads the whole (capped) body for middleware that must see it before the handler,
// and puts it back for the handler to read again.
func readBody(c *gin.Context) ([]byte, bool) {
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		edge.Refuse(c, edge.EBodyTooLarge, "The request body is larger than 64 KiB.")
		return nil, false
	}
	if err != nil {
		edge.Refuse(c, edge.EMalformed, "The request body could not be read.")
		return nil, false
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	return body, true
}
