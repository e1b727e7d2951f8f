package referral

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

var validate = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	for tag, ok := range webChecks {
		v.RegisterValidation(tag, func(f validator.FieldLevel) bool { return ok(f.Field().String()) })
	}
	return v
})

// check validates an input struct: first every text in it (see IsText), then its `validate`
// tags. Failures are named by JSON field, one entry per field.
func check(input any) error {
	fields := notText(reflect.ValueOf(input), "")
	err := validate().Struct(input)
	var fails validator.ValidationErrors
	if err != nil && !errors.As(err, &fails) {
		return err
	}
	for _, f := range fails {
		fields = append(fields, FieldError{Field: fieldPath(f.Namespace()), Detail: describe(f)})
	}
	if len(fields) == 0 {
		return nil
	}
	return Invalid(fields...)
}

// IsText reports whether s is text someone could have typed: UTF-8 without NUL characters.
// No name, email, id or code holds anything else, and PostgreSQL can neither store nor
// compare it, so it is refused whichever way it came in (API, webhook, form).
func IsText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// notTextDetail is what a field that fails IsText is told.
const notTextDetail = "must be UTF-8 text without NUL characters"

// notText names every string in v, at any depth, that is not text.
func notText(v reflect.Value, path string) []FieldError {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return notText(v.Elem(), path)
		}
	case reflect.String:
		if !IsText(v.String()) {
			return []FieldError{{Field: path, Detail: notTextDetail}}
		}
	case reflect.Slice, reflect.Array:
		var out []FieldError
		for i := range v.Len() {
			out = append(out, notText(v.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case reflect.Struct:
		var out []FieldError
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				name = f.Name
			}
			if path != "" {
				name = path + "." + name
			}
			out = append(out, notText(v.Field(i), name)...)
		}
		return out
	}
	return nil
}

// fieldPath drops the struct name: "NewAdvocate.email" → "email".
func fieldPath(ns string) string {
	_, rest, _ := strings.Cut(ns, ".")
	return rest
}

func describe(f validator.FieldError) string {
	switch f.Tag() {
	case "required":
		return "is required"
	case "email":
		return "must be a valid email address"
	case "min":
		switch {
		case f.Kind() == reflect.Int:
			return "must be at least " + f.Param()
		case f.Param() == "1":
			return "must not be empty"
		}
		return "must be at least " + f.Param() + " characters"
	case "max":
		switch f.Kind() {
		case reflect.Int:
			return "must be at most " + f.Param()
		case reflect.Slice:
			return "must have at most " + f.Param() + " entries"
		}
		return "must be at most " + f.Param() + " characters"
	case "brand_color":
		return "must be a colour written as # and six hex digits, such as #6b4eff"
	case "https_url":
		return "must be an https:// address"
	case "web_url":
		return "must be an http:// or https:// address"
	case "origin":
		return "must be a site's origin, such as https://glowaesthetics.com, without a path"
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(f.Param(), " ", ", ")
	case "required_without":
		return "is required when " + f.Param() + " is not given"
	}
	return "is invalid (" + f.Tag() + ")"
}

// NormalizeEmail trims and lower-cases an email, before validation, storage and matching.
// Lower-casing would turn bytes that are not UTF-8 into U+FFFD, so such an email is left as
// it came, for validation to refuse.
func NormalizeEmail(s string) string {
	if !utf8.ValidString(s) {
		return s
	}
	return strings.ToLower(strings.TrimSpace(s))
}
