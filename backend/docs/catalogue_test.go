package docs_test

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/advocateloop/advocateloop"
	"github.com/advocateloop/advocateloop/backend/docs"
	"github.com/advocateloop/advocateloop/backend/edge"
)

// TestServerAnswersTheCatalogue holds the server's problem types to openapi.yaml's x-problems, both ways:
// every problem the server can answer is documented with the same status and title, and the
// documentation promises none the server never answers.
func TestServerAnswersTheCatalogue(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(advocateloop.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	documented, err := docs.ProblemTypes(doc)
	if err != nil {
		t.Fatal(err)
	}
	problemTypes := edge.ProblemTypes()
	seen := map[string]bool{}
	for _, d := range documented {
		seen[d.Slug] = true
		ours, ok := problemTypes[d.Slug]
		switch {
		case !ok:
			t.Errorf("openapi.yaml documents problem %q, which the server never answers", d.Slug)
		case ours.Status != d.Status || ours.Title != d.Title:
			t.Errorf("problem %q: server answers %d %q, openapi.yaml says %d %q", d.Slug, ours.Status, ours.Title, d.Status, d.Title)
		}
	}
	for slug := range problemTypes {
		if !seen[slug] {
			t.Errorf("problem %q is not documented in openapi.yaml's x-problems", slug)
		}
	}
}
