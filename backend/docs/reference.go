package docs

import (
	_ "embed"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed reference.html
var pageSource string

var pageTemplate = template.Must(template.New("reference").Funcs(template.FuncMap{"lower": strings.ToLower}).Parse(pageSource))

// reference is what the HTML page shows, gathered from the spec.
type reference struct {
	Title    string
	Version  string
	Overview template.HTML
	Tags     []tagSection
	Objects  []object
	Problems []problemEntry
}

type tagSection struct {
	Name        string
	Anchor      string
	Description template.HTML
	Operations  []operation
}

type operation struct {
	line            int
	Anchor          string
	Method          string
	Path            string
	Summary         string
	Description     template.HTML
	NeedsKey        bool
	Parameters      []field
	Body            *requestBody
	Responses       []response
	RequestExample  string
	ResponseStatus  string
	ResponseExample string
}

type requestBody struct {
	ContentType string
	Type        template.HTML
	Description template.HTML
	Fields      []field
}

type response struct {
	Status      string
	Description template.HTML
	ContentType string
	Type        template.HTML
	Headers     []field
	Problems    []string
}

// field is a row of a table: a parameter, a property or a header.
type field struct {
	Name        string
	In          string
	Type        template.HTML
	Required    bool
	Description template.HTML
}

type object struct {
	Name        string
	Anchor      string
	Description template.HTML
	Fields      []field
	Variants    template.HTML
}

type problemEntry struct {
	ProblemType
	Description template.HTML
}

var methodOrder = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

func newReference(doc *openapi3.T, problems []ProblemType) reference {
	ref := reference{Title: doc.Info.Title, Version: doc.Info.Version, Overview: prose(doc.Info.Description)}

	byTag := map[string][]operation{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range methodOrder {
			op := item.GetOperation(method)
			if op == nil || len(op.Tags) == 0 {
				continue
			}
			byTag[op.Tags[0]] = append(byTag[op.Tags[0]], newOperation(doc, path, method, item, op))
		}
	}
	for _, tag := range doc.Tags {
		ops := byTag[tag.Name]
		slices.SortStableFunc(ops, func(a, b operation) int { return a.line - b.line })
		ref.Tags = append(ref.Tags, tagSection{
			Name:        tag.Name,
			Anchor:      "tag-" + anchorName(tag.Name),
			Description: prose(tag.Description),
			Operations:  ops,
		})
	}

	var schemas openapi3.Schemas
	if doc.Components != nil {
		schemas = doc.Components.Schemas
	}
	for _, name := range inSpecOrder(schemas) {
		s := schemas[name].Value
		if !isObject(s) {
			continue
		}
		o := object{Name: name, Anchor: "schema-" + name, Description: prose(s.Description), Fields: fieldsOf(s)}
		if len(s.OneOf) > 0 {
			o.Variants = joinTypes(s.OneOf)
		}
		ref.Objects = append(ref.Objects, o)
	}

	for _, p := range problems {
		ref.Problems = append(ref.Problems, problemEntry{ProblemType: p, Description: prose(p.Description)})
	}
	return ref
}

func newOperation(doc *openapi3.T, path, method string, item *openapi3.PathItem, op *openapi3.Operation) operation {
	o := operation{
		line:        lineOf(op.Origin),
		Anchor:      "op-" + op.OperationID,
		Method:      method,
		Path:        path,
		Summary:     op.Summary,
		Description: prose(op.Description),
	}
	security := doc.Security
	if op.Security != nil {
		security = *op.Security
	}
	o.NeedsKey = len(security) > 0

	for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
		param := p.Value
		o.Parameters = append(o.Parameters, field{
			Name:        param.Name,
			In:          param.In,
			Type:        typeOf(param.Schema),
			Required:    param.Required,
			Description: describe(param.Description, param.Schema),
		})
	}

	if op.RequestBody != nil && op.RequestBody.Value != nil {
		contentType, media := firstMedia(op.RequestBody.Value.Content)
		if media != nil {
			o.Body = &requestBody{ContentType: contentType, Type: typeOf(media.Schema)}
			if media.Schema != nil && media.Schema.Value != nil {
				o.Body.Description = prose(media.Schema.Value.Description)
				o.Body.Fields = fieldsOf(media.Schema.Value)
			}
			o.RequestExample = exampleJSON(media)
		}
	}

	statuses := op.Responses.Map()
	for _, code := range sortedKeys(statuses) {
		o.Responses = append(o.Responses, newResponse(code, statuses[code].Value))
	}
	// The example shows the main success: a creation when there is one.
	for _, code := range []string{"201", "200", "204", "302"} {
		if r := statuses[code]; r != nil && r.Value != nil {
			o.ResponseStatus = code
			if _, media := firstMedia(r.Value.Content); media != nil {
				o.ResponseExample = exampleJSON(media)
			}
			break
		}
	}
	return o
}

func newResponse(code string, r *openapi3.Response) response {
	resp := response{Status: code}
	if r.Description != nil {
		resp.Description = prose(*r.Description)
	}
	for _, name := range sortedKeys(r.Headers) {
		h := r.Headers[name].Value
		resp.Headers = append(resp.Headers, field{
			Name:        name,
			Type:        typeOf(h.Schema),
			Required:    h.Required,
			Description: describe(h.Description, h.Schema),
		})
	}
	contentType, media := firstMedia(r.Content)
	if media == nil {
		return resp
	}
	resp.ContentType = contentType
	if media.Schema != nil {
		resp.Type = typeOf(media.Schema)
	}
	if contentType == "application/problem+json" {
		resp.Problems = problemSlugs(media)
	}
	return resp
}

// problemSlugs lists the problem types a response's examples show.
func problemSlugs(media *openapi3.MediaType) []string {
	var values []any
	if media.Example != nil {
		values = append(values, media.Example)
	}
	for _, name := range sortedKeys(media.Examples) {
		if ex := media.Examples[name]; ex.Value != nil {
			values = append(values, ex.Value.Value)
		}
	}
	var slugs []string
	for _, v := range values {
		m, _ := v.(map[string]any)
		t, _ := m["type"].(string)
		if slug, ok := strings.CutPrefix(t, "/problems/"); ok && !slices.Contains(slugs, slug) {
			slugs = append(slugs, slug)
		}
	}
	return slugs
}

// fieldsOf lists an object's properties in the spec's order.
func fieldsOf(s *openapi3.Schema) []field {
	var fields []field
	for _, name := range inSpecOrder(s.Properties) {
		p := s.Properties[name]
		fields = append(fields, field{
			Name:        name,
			Type:        typeOf(p),
			Required:    slices.Contains(s.Required, name),
			Description: describe("", p),
		})
	}
	return fields
}

// inSpecOrder returns schemas' names in the order the spec lists them (Handler loads it with
// origins), so the page reads as the spec was written; names break ties.
func inSpecOrder(schemas openapi3.Schemas) []string {
	names := sortedKeys(schemas)
	slices.SortStableFunc(names, func(a, b string) int {
		return lineOf(schemas[a].Origin) - lineOf(schemas[b].Origin)
	})
	return names
}

func lineOf(o *openapi3.Origin) int {
	if o == nil || o.Key == nil {
		return 0
	}
	return o.Key.Line
}

// isObject says whether a schema is shown on its own, under Objects, and linked to.
func isObject(s *openapi3.Schema) bool {
	if s.Type.Is(openapi3.TypeObject) && len(s.Properties) > 0 {
		return true
	}
	if len(s.OneOf) == 0 {
		return false
	}
	for _, v := range s.OneOf {
		if v.Ref == "" || v.Value == nil || !isObject(v.Value) {
			return false
		}
	}
	return true
}

// isNull says whether a schema allows only null, as NullValue does.
func isNull(s *openapi3.Schema) bool {
	return s.Nullable && len(s.Enum) == 1 && s.Enum[0] == nil
}

// typeOf names a schema's type for people, linking to objects.
func typeOf(ref *openapi3.SchemaRef) template.HTML {
	if ref == nil || ref.Value == nil {
		return "any"
	}
	s := ref.Value
	if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok && isObject(s) {
		return template.HTML(`<a href="#schema-` + template.HTMLEscapeString(name) + `">` + template.HTMLEscapeString(name) + `</a>`)
	}
	var t template.HTML
	switch {
	case isNull(s):
		return "null"
	case len(s.OneOf) > 0:
		t = joinTypes(s.OneOf)
	case len(s.AnyOf) > 0:
		t = joinTypes(s.AnyOf)
	case len(s.AllOf) == 1:
		t = typeOf(s.AllOf[0])
	case s.Type.Is(openapi3.TypeArray):
		t = "array of " + typeOf(s.Items)
	case s.Type == nil || len(s.Type.Slice()) == 0:
		t = "any"
	default:
		t = template.HTML(template.HTMLEscapeString(strings.Join(s.Type.Slice(), " or ")))
		if s.Format != "" {
			t += template.HTML(" (" + template.HTMLEscapeString(s.Format) + ")")
		}
	}
	if s.Nullable {
		t += " or null"
	}
	return t
}

func joinTypes(refs openapi3.SchemaRefs) template.HTML {
	parts := make([]string, 0, len(refs))
	for _, r := range refs {
		parts = append(parts, string(typeOf(r)))
	}
	return template.HTML(strings.Join(parts, " or "))
}

// describe gives a field's description, falling back on its schema's, with its constraints.
func describe(text string, ref *openapi3.SchemaRef) template.HTML {
	var s *openapi3.Schema
	if ref != nil {
		s = ref.Value
	}
	if text == "" && s != nil {
		text = s.Description
	}
	if s == nil {
		return prose(text)
	}
	var notes []string
	if len(s.Enum) > 0 && !isNull(s) {
		values := make([]string, 0, len(s.Enum))
		for _, v := range s.Enum {
			values = append(values, "`"+jsonText(v)+"`")
		}
		notes = append(notes, "One of "+strings.Join(values, ", ")+".")
	}
	if s.Default != nil {
		notes = append(notes, "Default `"+jsonText(s.Default)+"`.")
	}
	if s.MaxLength != nil {
		notes = append(notes, strconv.FormatUint(s.MinLength, 10)+" to "+strconv.FormatUint(*s.MaxLength, 10)+" characters.")
	}
	if s.Min != nil && s.Max != nil {
		notes = append(notes, "From "+jsonText(*s.Min)+" to "+jsonText(*s.Max)+".")
	}
	if s.Example != nil && !s.Type.Is(openapi3.TypeObject) && !s.Type.Is(openapi3.TypeArray) {
		notes = append(notes, "Example: `"+jsonText(s.Example)+"`.")
	}
	if len(notes) == 0 {
		return prose(text)
	}
	return prose(strings.TrimSpace(text + " " + strings.Join(notes, " ")))
}

func firstMedia(content openapi3.Content) (string, *openapi3.MediaType) {
	names := sortedKeys(content)
	if len(names) == 0 {
		return "", nil
	}
	return names[0], content[names[0]]
}

// anchorName turns a name into a fragment: lower case, dashes for anything else.
func anchorName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return '-'
	}, s)
}

// sortedKeys returns a map's keys sorted, since the spec's maps come unordered.
func sortedKeys[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
