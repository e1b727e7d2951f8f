package docs

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// ProblemType is one entry of the problem catalogue, openapi.yaml's x-problems.
type ProblemType struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Status      int    `json:"status"`
	Description string `json:"description"`
}

// ProblemTypes reads the problem catalogue from a loaded openapi.yaml.
func ProblemTypes(doc *openapi3.T) ([]ProblemType, error) {
	raw, ok := doc.Extensions["x-problems"]
	if !ok {
		return nil, errors.New("docs: openapi.yaml has no x-problems")
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("docs: reading x-problems: %w", err)
	}
	var types []ProblemType
	if err := json.Unmarshal(b, &types); err != nil {
		return nil, fmt.Errorf("docs: reading x-problems: %w", err)
	}
	seen := make(map[string]bool, len(types))
	for _, t := range types {
		switch {
		case t.Slug == "" || t.Title == "" || t.Description == "":
			return nil, fmt.Errorf("docs: x-problems entry %q needs a slug, a title and a description", t.Slug)
		case t.Status < 400 || t.Status > 599:
			return nil, fmt.Errorf("docs: x-problems entry %q has status %d", t.Slug, t.Status)
		case seen[t.Slug]:
			return nil, fmt.Errorf("docs: x-problems lists %q twice", t.Slug)
		}
		seen[t.Slug] = true
	}
	return types, nil
}
