// Package edge is what every HTTP surface of AdvocateLoop stands on: the REST API, the patient
// pages, the dashboard and the docs take from here their problems, body decoding, request ids,
// security headers, deadlines, compression and page rendering, and import none of each other.
package edge

import (
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string                `json:"type"`
	Title     string                `json:"title"`
	Status    int                   `json:"status"`
	Detail    string                `json:"detail"`
	Instance  string                `json:"instance,omitempty"`
	RequestID string                `json:"request_id,omitempty"`
	Errors    []referral.FieldError `json:"errors,omitempty"`
}

// Problem slugs that only the HTTP side raises; the domain's are in package referral.
const (
	EMalformed         = "malformed-request"
	EMethodNotAllowed  = "method-not-allowed"
	EBodyTooLarge      = "body-too-large"
	EUnsupportedMedia  = "unsupported-media-type"
	ERequestInProgress = "request-in-progress"
	EKeyReused         = "idempotency-key-reused"
	ENotReady          = "not-ready"
	EInvalidSignature  = "invalid-signature"
	ERequestTimeout    = "request-timeout"
	EInternal          = "internal-error"
	ERateLimited       = "rate-limited"
	EOriginNotAllowed  = "origin-not-allowed"
)

// ProblemType is the status and title a problem slug answers with.
type ProblemType struct {
	Status int
	Title  string
}

// problemTypes gives every problem slug its status and title; /docs documents the same list.
var problemTypes = map[string]ProblemType{
	EMalformed:                 {400, "Malformed request"},
	referral.EInvalid:          {422, "Validation failed"},
	referral.EUnauthorized:     {401, "Unauthorized"},
	EInvalidSignature:          {401, "Invalid webhook signature"},
	referral.EPlanLimit:        {402, "Plan limit reached"},
	EOriginNotAllowed:          {403, "Origin not allowed"},
	referral.ENotFound:         {404, "Not found"},
	EMethodNotAllowed:          {405, "Method not allowed"},
	referral.EAlreadyReferred:  {409, "Friend already referred"},
	referral.EAlreadyConverted: {409, "Referral already converted"},
	referral.EInvoiceConverted: {409, "Invoice already converted a referral"},
	referral.EPaymentRefunded:  {409, "Payment refunded"},
	referral.EAlreadyRedeemed:  {409, "Reward already redeemed"},
	referral.ERewardVoided:     {409, "Reward voided"},
	ERequestInProgress:         {409, "Request in progress"},
	ERequestTimeout:            {408, "Request timeout"},
	EBodyTooLarge:              {413, "Request body too large"},
	EUnsupportedMedia:          {415, "Unsupported media type"},
	referral.ESelfReferral:     {422, "Self-referral"},
	referral.EExistingPatient:  {422, "Existing patient"},
	referral.EAdvocateDisabled: {422, "Advocate disabled"},
	EKeyReused:                 {422, "Idempotency key reused"},
	ERateLimited:               {429, "Too many requests"},
	EInternal:                  {500, "Internal server error"},
	ENotReady:                  {503, "Not ready"},
	referral.EUnavailable:      {503, "Service unavailable"},
}

// ProblemTypes are every problem the server can answer, by slug.
func ProblemTypes() map[string]ProblemType { return maps.Clone(problemTypes) }

// Fail answers err as a problem and stops the request.
func Fail(c *gin.Context, err error) {
	c.Abort()
	WriteError(c.Writer, c.Request, err)
}

// Refuse answers with the problem type slug and stops the request.
func Refuse(c *gin.Context, slug, detail string, fields ...referral.FieldError) {
	c.Abort()
	WriteProblem(c.Writer, c.Request, slug, detail, fields...)
}

// WriteError answers err as a problem. Domain errors carry their slug; any other error is
// internal: logged here, the one place that logs them, and never shown.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	var e *referral.Error
	if errors.As(err, &e) {
		if e.Code == referral.EUnavailable {
			slog.WarnContext(r.Context(), "database unavailable", "request_id", RequestID(r.Context()), "error", err.Error())
		}
		WriteProblem(w, r, e.Code, e.Detail, e.Fields...)
		return
	}
	slog.ErrorContext(r.Context(), "request failed", "request_id", RequestID(r.Context()), "error", err.Error())
	WriteProblem(w, r, EInternal, "Something went wrong on our side. Retrying is safe; if it keeps happening, contact support with the request id.")
}

// WriteProblem answers with the problem type slug; a slug missing from problemTypes is a bug
// and answers as an internal error.
func WriteProblem(w http.ResponseWriter, r *http.Request, slug, detail string, fields ...referral.FieldError) {
	t, ok := problemTypes[slug]
	if !ok {
		slug, t = EInternal, problemTypes[EInternal]
	}
	w.Header().Set("Content-Type", "application/problem+json")
	if slug == referral.EUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="AdvocateLoop"`)
	}
	if t.Status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		SetRetryAfter(w, UnavailableRetryAfter) // trouble passes: say when to come back
	}
	w.WriteHeader(t.Status)
	json.NewEncoder(w).Encode(Problem{Type: "/problems/" + slug, Title: t.Title, Status: t.Status,
		Detail: detail, Instance: r.URL.Path, RequestID: RequestID(r.Context()), Errors: fields})
}

// UnavailableRetryAfter is the seconds a 503 asks a client to wait: long enough for a restart
// or a lock to pass, short enough that a Zap's retry lands soon after.
const UnavailableRetryAfter = 5

// SetRetryAfter tells a client how many seconds to wait.
func SetRetryAfter(w http.ResponseWriter, seconds int) {
	w.Header().Set("Retry-After", strconv.Itoa(max(seconds, 1)))
}
