package storage

import "time"

// Each entity's file has its row type, which mirrors its table one to one; `->` fields are
// read from joins and never written. These helpers convert the columns that may be null.

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
