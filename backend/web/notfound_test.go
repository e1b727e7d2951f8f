package web_test

import (
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Unknown practices and codes, disabled advocates and odd addresses all get the same friendly
// 404 page, which tells nothing about what exists.
func TestNotFound(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", referral.PracticeSettings{})
	dan := s.mustAdvocate(t, p, "Dan Dorsey", "dan@example.com")
	disabled := referral.Disabled
	if _, err := s.Service.UpdateAdvocate(t.Context(), p, dan.ID, referral.AdvocateChange{Status: &disabled}); err != nil {
		t.Fatal(err)
	}

	for _, path := range []string{"/p/no-such-practice", "/r/NOPE2345", "/r/" + dan.Code, "/p/%00", "/r/AB%FFCD",
		"/r/" + dan.Code + "x", "/p/" + p.Slug + "/", "/p/" + p.Slug + "/extra", "/p/", "/p", "/r", "/r/",
		"/p/no-such-practice/me", "/p/no-such-practice/sign-in?token=x", "/p/no-such-practice/unsubscribe?token=x",
		"/p/" + p.Slug + "/me/", "/p/" + p.Slug + "/me/emails", "/p/" + p.Slug + "/me/sign-out", "/p/" + p.Slug + "/sign-in/x"} {
		r := s.get(t, path)
		wantPage(t, r, 404, "<h1>We couldn&#39;t find this page</h1>")
		wantNone(t, r, "Dan", "dan@example.com")
	}
	r := s.postForm(t, "/r/"+dan.Code, person("Fran", "fran@example.com"))
	wantPage(t, r, 404, "We couldn&#39;t find this page")
	r = s.postForm(t, "/p/no-such-practice", person("Jane", "jane@example.com"))
	wantPage(t, r, 404)
	r = s.do(t, "PUT", "/p/"+p.Slug, nil)
	wantPage(t, r, 404)
	if n := len(s.referrals(t, p)); n != 0 {
		t.Errorf("%d referrals to a disabled advocate", n)
	}

	for _, path := range []string{"/r/" + dan.Code + "/qr.svg", "/p/no-such-practice/qr.svg", "/r/NOPE2345/qr.svg"} {
		r := s.get(t, path)
		if r.Status != 404 || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s = %d %s, want a 404 problem", path, r.Status, r.Header.Get("Content-Type"))
		}
	}
	// Outside /p and /r the API's problems stay.
	if r := s.get(t, "/nowhere"); r.Status != 404 || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("GET /nowhere = %d %s", r.Status, r.Header.Get("Content-Type"))
	}
}
