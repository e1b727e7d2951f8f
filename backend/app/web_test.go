package app_test

import (
	"io"
	"net/http"
	"testing"
)

// The patient-facing side is wired into the server behind the API's middleware.
func TestPatientPagesAreServed(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	pr := s.mustPractice(t, "Glow Wired")

	for path, want := range map[string]struct {
		status      int
		contentType string
	}{
		"/widget.js":                {200, "text/javascript; charset=utf-8"},
		"/p/" + pr.Slug:             {200, "text/html; charset=utf-8"},
		"/p/" + pr.Slug + "/qr.svg": {200, "image/svg+xml"},
		"/p/no-such-practice":       {404, "text/html; charset=utf-8"},
		"/r/NOPE2345":               {404, "text/html; charset=utf-8"},
		"/v1/nothing-here":          {404, "application/problem+json"},
	} {
		res, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want.status || res.Header.Get("Content-Type") != want.contentType || res.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s = %d %q (request id %q), want %d %q", path, res.StatusCode,
				res.Header.Get("Content-Type"), res.Header.Get("X-Request-Id"), want.status, want.contentType)
		}
	}

	var joined struct {
		PageURL string `json:"page_url"`
	}
	mustDo(t, s.Client, "POST", "/p/"+pr.Slug+"/advocates", map[string]string{"name": "Jane", "email": "jane@example.com"}, 202, &joined)
	if want := "https://refer.example.com/p/" + pr.Slug + "/me"; joined.PageURL != want {
		t.Errorf("page_url = %q, want %q, on the public URL", joined.PageURL, want)
	}
}
