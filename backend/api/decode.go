package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// maxBody is the largest request body accepted; a payment event is well under 2 KiB.
const maxBody = 64 << 10

// decode reads a JSON object into dst, which names only the fields the API reads: anything
// else in the body is dropped here and never reaches storage or logs. It answers the problem
// itself and returns false when the body is not acceptable.
func decode(c *gin.Context, dst any) bool {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			problem(c, eUnsupportedMedia, "Send the body as JSON with 'Content-Type: application/json'.")
			return false
		}
	}
	dec := json.NewDecoder(c.Request.Body)
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		problem(c, eBodyTooLarge, "The request body is larger than 64 KiB.")
	case errors.As(err, &typeErr) && typeErr.Field != "":
		problem(c, referral.EInvalid, "Some fields have the wrong type.",
			referral.FieldError{Field: typeErr.Field, Detail: "must be " + jsonType(typeErr.Type.Kind().String())})
	case errors.Is(err, io.EOF):
		problem(c, eMalformed, "The request body is empty; send a JSON object.")
	default:
		problem(c, eMalformed, "The request body is not a valid JSON object.")
	}
	return false
}

// jsonType names a Go kind the way a JSON user thinks of it.
func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "ptr":
		return "a string or null"
	case "struct", "map":
		return "an object"
	case "slice":
		return "an array"
	}
	return "a number"
}

// limitBody caps every request body; a larger one answers 413 without being read.
func limitBody(c *gin.Context) {
	if c.Request.ContentLength > maxBody {
		problem(c, eBodyTooLarge, "The request body is larger than 64 KiB.")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	c.Next()
}
