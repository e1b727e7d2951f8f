package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// maxBody is the largest request body accepted; a payment event is well under 2 KiB.
const maxBody = 64 << 10

// decode reads a JSON object into dst, or answers the problem and stops the request.
func decode(c *gin.Context, dst any) bool {
	if !Decode(c.Writer, c.Request, dst) {
		c.Abort()
		return false
	}
	return true
}

// Decode reads a JSON object into dst, which names only the fields the API reads: anything
// else in the body is dropped here and never reaches storage or logs. It answers the problem
// itself and returns false when the body is not acceptable.
func Decode(w http.ResponseWriter, r *http.Request, dst any) bool {
	refuse := func(slug, detail string, fields ...referral.FieldError) {
		WriteProblem(w, r, slug, detail, fields...)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			refuse(eUnsupportedMedia, "Send the body as JSON with 'Content-Type: application/json'.")
			return false
		}
	}
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		refuse(eBodyTooLarge, "The request body is larger than 64 KiB.")
		return false
	case err != nil:
		refuse(eMalformed, "The request body could not be read.")
		return false
	}
	// Unmarshal, unlike a Decoder, refuses anything after the object; null, arrays and
	// strings would decode into an empty input without an error, so they are refused first.
	start := bytes.TrimLeft(body, " \t\r\n")
	if len(start) == 0 {
		refuse(eMalformed, "The request body is empty; send a JSON object.")
		return false
	}
	if start[0] != '{' {
		refuse(eMalformed, "The request body must be a JSON object.")
		return false
	}
	var typeErr *json.UnmarshalTypeError
	err = json.Unmarshal(body, dst)
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		refuse(referral.EInvalid, "Some fields have the wrong type.",
			referral.FieldError{Field: typeErr.Field, Detail: "must be " + jsonType(typeErr.Type.Kind().String())})
	case err != nil:
		refuse(eMalformed, "The request body is not a valid JSON object.")
	default:
		if fields := nulFields(dst); len(fields) > 0 {
			refuse(referral.EInvalid, "Some fields hold a NUL character.", fields...)
			return false
		}
		return true
	}
	return false
}

// nulFields names the text fields of a decoded input that hold a NUL character, which no
// name, email or id has and PostgreSQL cannot store.
func nulFields(input any) []referral.FieldError {
	v := reflect.Indirect(reflect.ValueOf(input))
	if v.Kind() != reflect.Struct {
		return nil
	}
	var fields []referral.FieldError
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() == reflect.Pointer && !f.IsNil() {
			f = f.Elem()
		}
		if f.Kind() == reflect.String && strings.ContainsRune(f.String(), 0) {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			fields = append(fields, referral.FieldError{Field: name, Detail: "must not contain NUL characters"})
		}
	}
	return fields
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

// readBody reads the whole (capped) body for middleware that must see it before the handler,
// and puts it back for the handler to read again.
func readBody(c *gin.Context) ([]byte, bool) {
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		problem(c, eBodyTooLarge, "The request body is larger than 64 KiB.")
		return nil, false
	}
	if err != nil {
		problem(c, eMalformed, "The request body could not be read.")
		return nil, false
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	return body, true
}
