package api

import (
	"errors"
	"log/slog"
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

// Problem slugs that only the HTTP layer raises; the domain's are in package referral.
const (
	eMalformed         = "malformed-request"
	eMethodNotAllowed  = "method-not-allowed"
	eBodyTooLarge      = "body-too-large"
	eUnsupportedMedia  = "unsupported-media-type"
	eRequestInProgress = "request-in-progress"
	eKeyReused         = "idempotency-key-reused"
	eRateLimited       = "rate-limited"
	eNotReady          = "not-ready"
	eInternal          = "internal-error"
)

// problemTypes gives every problem slug its status and title; /docs documents the same list.
var problemTypes = map[string]struct {
	status int
	title  string
}{
	eMalformed:                 {400, "Malformed request"},
	referral.EInvalid:          {422, "Validation failed"},
	referral.EUnauthorized:     {401, "Unauthorized"},
	referral.EPlanLimit:        {402, "Plan limit reached"},
	referral.ENotFound:         {404, "Not found"},
	eMethodNotAllowed:          {405, "Method not allowed"},
	referral.EAlreadyReferred:  {409, "Friend already referred"},
	referral.EAlreadyConverted: {409, "Referral already converted"},
	referral.EPaymentRefunded:  {409, "Payment refunded"},
	referral.EAlreadyRedeemed:  {409, "Reward already redeemed"},
	referral.ERewardVoided:     {409, "Reward voided"},
	eRequestInProgress:         {409, "Request in progress"},
	eBodyTooLarge:              {413, "Request body too large"},
	eUnsupportedMedia:          {415, "Unsupported media type"},
	referral.ESelfReferral:     {422, "Self-referral"},
	referral.EExistingPatient:  {422, "Existing patient"},
	referral.EAdvocateDisabled: {422, "Advocate disabled"},
	eKeyReused:                 {422, "Idempotency key reused"},
	eRateLimited:               {429, "Too many requests"},
	eInternal:                  {500, "Internal server error"},
	eNotReady:                  {503, "Not ready"},
}

// fail answers err as a problem and stops the request. Domain errors carry their slug; any
// other error is internal: logged here, the one place that logs them, and never shown.
func fail(c *gin.Context, err error) {
	var e *referral.Error
	if errors.As(err, &e) {
		problem(c, e.Code, e.Detail, e.Fields...)
		return
	}
	slog.ErrorContext(c.Request.Context(), "request failed", "request_id", requestID(c), "error", err.Error())
	problem(c, eInternal, "Something went wrong on our side. Retrying is safe; if it keeps happening, contact support with the request id.")
}

// problem answers with the problem type slug.
func problem(c *gin.Context, slug, detail string, fields ...referral.FieldError) {
	t, ok := problemTypes[slug]
	if !ok {
		slug, t = eInternal, problemTypes[eInternal]
	}
	c.Header("Content-Type", "application/problem+json")
	if slug == referral.EUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="AdvocateLoop"`)
	}
	c.AbortWithStatusJSON(t.status, Problem{Type: "/problems/" + slug, Title: t.title, Status: t.status,
		Detail: detail, Instance: c.Request.URL.Path, RequestID: requestID(c), Errors: fields})
}

func retryAfter(c *gin.Context, seconds int) {
	c.Header("Retry-After", strconv.Itoa(max(seconds, 1)))
}
