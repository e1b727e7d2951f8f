// Package docs serves the API's documentation from openapi.yaml: the HTML reference at /docs,
// the document itself at /openapi.yaml, and /problems/{slug}, where each problem's type points.
package docs

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/advocateloop/advocateloop/backend/edge"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// Paths are where the router sends requests for the docs.
var Paths = []string{"/docs", "/openapi.yaml", "/problems/:slug"}

// Handler serves GET /docs, /openapi.yaml and /problems/{slug} from spec, the bytes of
// openapi.yaml. The page is rendered here, so a broken spec fails at start-up.
func Handler(spec []byte) (http.Handler, error) {
	s, err := serverFor(spec)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/docs", s.readOnly(s.servePage))
	mux.HandleFunc("/openapi.yaml", s.readOnly(s.serveSpec))
	mux.HandleFunc("/problems/{slug}", s.readOnly(s.redirectToProblem))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		edge.WriteProblem(w, r, referral.ENotFound, "No page at "+r.URL.Path+".")
	})
	return mux, nil
}

// rendered keeps each spec's server: tests build many handlers from the same spec, and
// loading, validating and rendering it takes tens of milliseconds.
var rendered sync.Map

func serverFor(spec []byte) (*server, error) {
	if s, ok := rendered.Load(string(spec)); ok {
		return s.(*server), nil
	}
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = true // the page follows the spec's order
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("docs: loading openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("docs: openapi.yaml is invalid: %w", err)
	}
	types, err := ProblemTypes(doc)
	if err != nil {
		return nil, err
	}
	var page bytes.Buffer
	if err := pageTemplate.Execute(&page, newReference(doc, types)); err != nil {
		return nil, fmt.Errorf("docs: rendering the reference: %w", err)
	}

	s := &server{page: page.Bytes(), spec: bytes.Clone(spec), problems: make(map[string]ProblemType, len(types))}
	for _, t := range types {
		s.problems[t.Slug] = t
	}
	rendered.Store(string(spec), s)
	return s, nil
}

type server struct {
	page     []byte
	spec     []byte
	problems map[string]ProblemType
}

func (s *server) servePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The page needs nothing but its own inline styles and the favicon, and no other site may frame it.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.Write(s.page)
}

func (s *server) serveSpec(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Write(s.spec)
}

func (s *server) redirectToProblem(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	if _, ok := s.problems[slug]; !ok {
		edge.WriteProblem(w, r, referral.ENotFound, fmt.Sprintf("No problem type %q; see /docs#problem-types.", slug))
		return
	}
	http.Redirect(w, r, "/docs#problem-"+slug, http.StatusFound)
}

// readOnly answers every method but GET and HEAD with the method-not-allowed problem.
func (s *server) readOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			edge.WriteProblem(w, r, edge.EMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+"; use GET.")
			return
		}
		h(w, r)
	}
}
