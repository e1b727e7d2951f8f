package web

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// widgetEndpoint is what one of the widget's JSON endpoints accepts.
type widgetEndpoint struct {
	methods []string
	usage   string // what a wrong method is told
	// tellRefused lets a refused site read why, so the widget can tell its owner which origin
	// to add. The join refuses without it: its preflight fails first anyway.
	tellRefused bool
}

var (
	widgetRead = widgetEndpoint{methods: []string{http.MethodGet, http.MethodHead},
		usage: "the widget reads this with GET.", tellRefused: true}
	widgetJoin = widgetEndpoint{methods: []string{http.MethodPost, http.MethodOptions},
		usage: "the widget posts JSON."}
)

// widgetPractice is what both widget endpoints check first: the method, the practice the
// address names, and the calling site. It answers a refusal itself, as a problem, and returns
// nil; a refused site is kept for staff to see in Settings.
func (s *site) widgetPractice(w http.ResponseWriter, r *http.Request, e widgetEndpoint) *referral.Practice {
	if !slices.Contains(e.methods, r.Method) {
		w.Header().Set("Allow", strings.Join(e.methods, ", "))
		edge.WriteProblem(w, r, edge.EMethodNotAllowed, r.Method+" is not supported here; "+e.usage)
		return nil
	}
	p, err := s.practice(r)
	if err != nil {
		edge.WriteError(w, r, err)
		return nil
	}
	if !s.allowOrigin(w, r, p) {
		origin := r.Header.Get("Origin")
		if err := s.svc.RefuseWidgetOrigin(r.Context(), p, origin); err != nil { // never changes the answer
			slog.WarnContext(r.Context(), "widget refusal not kept", "request_id", edge.RequestID(r.Context()), "error", err.Error())
		}
		if e.tellRefused {
			w.Header().Set("Access-Control-Allow-Origin", origin)
		}
		edge.WriteProblem(w, r, edge.EOriginNotAllowed, "This site ("+origin+") is not one of "+p.Name+
			"'s allowed sites for the referral widget. Add "+origin+" to the allowed widget origins in AdvocateLoop's Settings.")
		return nil
	}
	return p
}
