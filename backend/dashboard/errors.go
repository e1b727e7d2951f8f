package dashboard

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

type messagePage struct {
	view
	Heading, Text string
}

func (s *dashboard) message(w http.ResponseWriter, status int, v view, heading, text string) {
	v.Title = heading
	pages.Render(w, status, "message", messagePage{view: v, Heading: heading, Text: text})
}

func (s *dashboard) notFound(w http.ResponseWriter, r *http.Request) {
	s.message(w, http.StatusNotFound, view{}, "Page not found", "There is nothing at this address. Check the link, or go back to the dashboard.")
}

func (s *dashboard) forbidden(w http.ResponseWriter, v view, text string) {
	s.message(w, http.StatusForbidden, v, "Not allowed", text)
}

// fail answers a domain error that no form can show in place: a missing thing is the 404
// page (another practice's thing is missing too), anything else is logged and apologised for.
func (s *dashboard) fail(w http.ResponseWriter, r *http.Request, v view, err error) {
	var e *referral.Error
	switch {
	case referral.ErrorCode(err) == referral.ENotFound:
		s.message(w, http.StatusNotFound, v, "Not found", "We couldn't find that. It may belong to another practice, or the link has a typo.")
	case referral.ErrorCode(err) == referral.EUnavailable:
		slog.WarnContext(r.Context(), "dashboard unavailable", "request_id", edge.RequestID(r.Context()), "path", r.URL.Path, "error", err.Error())
		edge.SetRetryAfter(w, edge.UnavailableRetryAfter)
		s.message(w, http.StatusServiceUnavailable, v, "Back in a moment", "The database is busy for a moment and nothing was saved. Please try again in a minute.")
	case errors.As(err, &e):
		s.message(w, http.StatusUnprocessableEntity, v, "That didn't work", e.Detail)
	default:
		slog.ErrorContext(r.Context(), "dashboard request failed", "request_id", edge.RequestID(r.Context()), "path", r.URL.Path, "error", err.Error())
		s.message(w, http.StatusInternalServerError, v, "Something went wrong", "Something went wrong on our side and nothing was saved. Please try again in a moment.")
	}
}

// fieldErrors ties a validation error's fields to a form's inputs; inputs maps each domain
// field to an input id and label. It reports false for any other error.
func fieldErrors(err error, inputs map[string][2]string) (map[string]string, bool) {
	var e *referral.Error
	if !errors.As(err, &e) || e.Code != referral.EInvalid {
		return nil, false
	}
	out := map[string]string{}
	for _, f := range e.Fields {
		if in, ok := inputs[f.Field]; ok {
			out[in[0]] = in[1] + " " + f.Detail + "."
		}
	}
	return out, len(out) > 0
}

// logFailure records an error that can no longer change the answer, such as one halfway
// through a download.
func logFailure(r *http.Request, err error) {
	slog.ErrorContext(r.Context(), "dashboard request failed", "request_id", edge.RequestID(r.Context()), "path", r.URL.Path, "error", err.Error())
}
