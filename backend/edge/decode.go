package edge

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/advocateloop/advocateloop/backend/jsoncheck"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// maxBody is the largest request body accepted; a payment event is well under 2 KiB.
const maxBody = 64 << 10

// Decode reads a JSON object into dst, which names only the fields the API reads: anything
// else in the body is dropped here and never reaches storage or logs. It answers the problem
// itself and returns false when the body is not acceptable. What the text holds is the
// domain's to judge, the same for every way in.
func Decode(w http.ResponseWriter, r *http.Request, dst any) bool {
	refuse := func(slug, detail string, fields ...referral.FieldError) {
		WriteProblem(w, r, slug, detail, fields...)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" && !strings.HasSuffix(mt, "+json") {
			refuse(EUnsupportedMedia, "Send the body as JSON with 'Content-Type: application/json'.")
			return false
		}
	}
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		refuse(EBodyTooLarge, "The request body is larger than 64 KiB.")
		return false
	case err != nil:
		refuse(EMalformed, "The request body could not be read.")
		return false
	}
	// Unmarshal, unlike a Decoder, refuses anything after the object; null, arrays and
	// strings would decode into an empty input without an error, so they are refused first.
	start := bytes.TrimLeft(body, " \t\r\n")
	if len(start) == 0 {
		refuse(EMalformed, "The request body is empty; send a JSON object.")
		return false
	}
	if start[0] != '{' {
		refuse(EMalformed, "The request body must be a JSON object.")
		return false
	}
	body = jsoncheck.MarkInvalidUTF8(body)
	var typeErr *json.UnmarshalTypeError
	err = json.Unmarshal(body, dst)
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		refuse(referral.EInvalid, "Some fields have the wrong type.",
			referral.FieldError{Field: typeErr.Field, Detail: "must be " + jsonType(typeErr.Type.Kind().String())})
	case err != nil:
		refuse(EMalformed, "The request body is not a valid JSON object.")
	default:
		// Unmarshal keeps the last of a name given twice; the sender may have meant the first.
		if name, dup := jsoncheck.DuplicateName(body, 0); dup {
			refuse(referral.EInvalid, "A field is given twice; send each field once.",
				referral.FieldError{Field: name, Detail: "is given more than once"})
			return false
		}
		return true
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
