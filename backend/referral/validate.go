package referral

import (
	"errors"
	"reflect"
	"strings"
	"sync"

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

// check validates an input struct by its `validate` tags and names failures by JSON field.
func check(input any) error {
	err := validate().Struct(input)
	var fails validator.ValidationErrors
	if !errors.As(err, &fails) {
		return err
	}
	fields := make([]FieldError, 0, len(fails))
	for _, f := range fails {
		fields = append(fields, FieldError{Field: fieldPath(f.Namespace()), Detail: describe(f)})
	}
	return Invalid(fields...)
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
		if f.Param() == "1" {
			return "must not be empty"
		}
		return "must be at least " + f.Param() + " characters"
	case "max":
		if f.Kind() == reflect.Slice {
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
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
