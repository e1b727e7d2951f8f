package docs

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// exampleJSON shows a media type's example, or one made up from its schema's field examples,
// as indented JSON with keys in the order the reference lists them.
func exampleJSON(media *openapi3.MediaType) string {
	var schema *openapi3.Schema
	if media.Schema != nil {
		schema = media.Schema.Value
	}
	if schema == nil || schema.Type.Is(openapi3.TypeString) {
		return "" // HTML and YAML bodies speak for themselves.
	}
	v, ok := givenExample(media)
	if !ok {
		v = exampleOf(schema, 0)
	}
	var b strings.Builder
	writeJSON(&b, v, schema, "")
	return b.String()
}

func givenExample(media *openapi3.MediaType) (any, bool) {
	if media.Example != nil {
		return media.Example, true
	}
	for _, name := range sortedKeys(media.Examples) {
		if ex := media.Examples[name]; ex.Value != nil {
			return ex.Value.Value, true
		}
	}
	return nil, false
}

// exampleOf makes up a value from a schema's own examples; depth stops runaway recursion.
func exampleOf(s *openapi3.Schema, depth int) any {
	switch {
	case depth > 8:
		return nil
	case s.Example != nil:
		return s.Example
	case isNull(s):
		return nil
	case len(s.OneOf) > 0:
		return exampleOf(s.OneOf[0].Value, depth+1)
	case len(s.AnyOf) > 0:
		return exampleOf(s.AnyOf[0].Value, depth+1)
	case len(s.AllOf) > 0:
		return exampleOf(s.AllOf[0].Value, depth+1)
	case len(s.Enum) > 0:
		return s.Enum[0]
	case s.Type.Is(openapi3.TypeObject):
		m := map[string]any{}
		for name, p := range s.Properties {
			m[name] = exampleOf(p.Value, depth+1)
		}
		return m
	case s.Type.Is(openapi3.TypeArray):
		return []any{exampleOf(s.Items.Value, depth+1)}
	case s.Type.Is(openapi3.TypeBoolean):
		return true
	case s.Type.Is(openapi3.TypeInteger), s.Type.Is(openapi3.TypeNumber):
		return 0
	}
	return "string"
}

func writeJSON(b *strings.Builder, v any, s *openapi3.Schema, indent string) {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		s = objectFor(s, v)
		b.WriteString("{\n")
		for i, key := range keyOrder(s, v) {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(indent + "  " + jsonText(key) + ": ")
			writeJSON(b, v[key], propertySchema(s, key), indent+"  ")
		}
		b.WriteString("\n" + indent + "}")
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		var items *openapi3.Schema
		if s != nil && s.Items != nil {
			items = s.Items.Value
		}
		b.WriteString("[\n")
		for i, item := range v {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(indent + "  ")
			writeJSON(b, item, items, indent+"  ")
		}
		b.WriteString("\n" + indent + "]")
	default:
		b.WriteString(jsonText(v))
	}
}

// objectFor picks the variant of a union that describes v, so its keys keep their order.
func objectFor(s *openapi3.Schema, v map[string]any) *openapi3.Schema {
	if s == nil || len(s.Properties) > 0 {
		return s
	}
	variants := slices.Concat(s.OneOf, s.AnyOf, s.AllOf)
	for _, r := range variants {
		if r.Value != nil && fits(r.Value, v) {
			return objectFor(r.Value, v)
		}
	}
	return s
}

func fits(s *openapi3.Schema, v map[string]any) bool {
	if len(s.Properties) == 0 {
		return false
	}
	for _, name := range s.Required {
		if _, ok := v[name]; !ok {
			return false
		}
	}
	// A discriminating enum, such as an event's type, must agree too.
	for name, p := range s.Properties {
		if p.Value != nil && len(p.Value.Enum) == 1 && v[name] != nil && v[name] != p.Value.Enum[0] {
			return false
		}
	}
	return true
}

func keyOrder(s *openapi3.Schema, v map[string]any) []string {
	var keys []string
	if s != nil {
		for _, name := range inSpecOrder(s.Properties) {
			if _, ok := v[name]; ok {
				keys = append(keys, name)
			}
		}
	}
	for _, name := range sortedKeys(v) {
		if !slices.Contains(keys, name) {
			keys = append(keys, name)
		}
	}
	return keys
}

func propertySchema(s *openapi3.Schema, name string) *openapi3.Schema {
	if s == nil || s.Properties[name] == nil {
		return nil
	}
	return s.Properties[name].Value
}

// jsonText encodes a value compactly, leaving <, > and & as they are.
func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "?"
	}
	return strings.TrimSuffix(b.String(), "\n")
}
