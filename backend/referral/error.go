package referral

import (
	"errors"
	"fmt"
	"strings"
)

// Problem slugs name every way a request can fail. The HTTP layer turns each into an RFC 9457
// problem type `/problems/<slug>` with a status; everything else is an internal error.
const (
	EInvalid          = "validation-failed"
	ENotFound         = "not-found"
	EUnauthorized     = "unauthorized"
	EPlanLimit        = "plan-limit"
	EAlreadyReferred  = "already-referred"
	EAlreadyConverted = "already-converted"
	EInvoiceConverted = "invoice-already-converted"
	EPaymentRefunded  = "payment-refunded"
	EAlreadyRedeemed  = "already-redeemed"
	ERewardVoided     = "reward-voided"
	ESelfReferral     = "self-referral"
	EExistingPatient  = "existing-patient"
	EAdvocateDisabled = "advocate-disabled"
	// EUnavailable is the database being down, read-only, full, locked or too slow for the
	// request's deadline: nobody's fault, and the same request can be sent again in a moment.
	EUnavailable = "unavailable"
)

// Error is the one error type the domain returns for anything a caller did wrong.
type Error struct {
	Code   string
	Detail string
	Fields []FieldError
	cause  error // what went wrong underneath, for logs; never shown
}

// FieldError names one invalid input field by its JSON name.
type FieldError struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

func (e *Error) Error() string {
	if e.cause != nil {
		return e.Code + ": " + e.cause.Error()
	}
	if len(e.Fields) == 0 {
		return e.Code + ": " + e.Detail
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + " " + f.Detail
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Detail, strings.Join(parts, "; "))
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.cause }

// Unavailable reports trouble in the database that passes: cause says what, for the logs.
func Unavailable(cause error) *Error {
	return &Error{Code: EUnavailable, cause: cause,
		Detail: "The service is busy or briefly unavailable. Retry the same request in a moment; retrying is safe."}
}

// Errorf returns an Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Invalid reports input that fails validation, one entry per field: the first one given.
func Invalid(fields ...FieldError) *Error {
	seen := make(map[string]bool, len(fields))
	kept := fields[:0:0]
	for _, f := range fields {
		if !seen[f.Field] {
			seen[f.Field] = true
			kept = append(kept, f)
		}
	}
	return &Error{Code: EInvalid, Detail: "Some fields are missing or invalid.", Fields: kept}
}

// InvalidField is Invalid for a single field.
func InvalidField(field, detail string) *Error {
	return Invalid(FieldError{Field: field, Detail: detail})
}

// NotFound reports a missing thing; another practice's thing is missing too.
func NotFound(what string) *Error {
	return Errorf(ENotFound, "No %s with that id exists.", what)
}

// ErrorCode returns the code of a domain error, or "" for any other error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
