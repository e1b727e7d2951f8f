package web

import (
	"net/http"
	"regexp"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Slugs and codes are checked for shape before any lookup: an address holding anything else
// (a NUL, bytes that are not UTF-8) names nothing, and must not reach the database.
var (
	slugShape = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
	codeShape = regexp.MustCompile(`^[A-Za-z0-9]{1,20}$`)
)

// practice is the practice whose slug the address names.
func (s *site) practice(r *http.Request) (*referral.Practice, error) {
	slug := r.PathValue("slug")
	if !slugShape.MatchString(slug) {
		return nil, referral.Errorf(referral.ENotFound, "No practice has this address.")
	}
	return s.svc.PracticeBySlug(r.Context(), slug)
}

// invitation is the practice and active advocate whose referral code the address names.
func (s *site) invitation(r *http.Request) (*referral.Practice, *referral.Advocate, error) {
	code := r.PathValue("code")
	if !codeShape.MatchString(code) {
		return nil, nil, referral.Errorf(referral.ENotFound, "No active invitation has this code.")
	}
	return s.svc.Invitation(r.Context(), code)
}
