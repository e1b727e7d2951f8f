package app_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// fetch sends GET path with the given Accept-Encoding (none when empty) and answers the raw
// response and body: setting the header by hand keeps Go's client from decoding it.
func fetch(tb testing.TB, s *server, path, acceptEncoding string) (*http.Response, []byte) {
	tb.Helper()
	req, err := http.NewRequest("GET", s.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	} else {
		req.Header.Set("Accept-Encoding", "identity")
	}
	res, err := (&http.Transport{}).RoundTrip(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return res, body
}

// TestCompression: HTML, JSON and the contract go gzipped to a client that asks, whole to one
// that does not, and read the same either way; a tiny answer goes as it is; every answer says
// it varies by Accept-Encoding.
func TestCompression(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	pr := s.mustPractice(t, "Glow Squeeze")
	for _, path := range []string{"/docs", "/openapi.yaml", "/p/" + pr.Slug, "/login"} {
		plain, whole := fetch(t, s, path, "")
		if plain.StatusCode != 200 || plain.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s without gzip: %d, Content-Encoding %q", path, plain.StatusCode, plain.Header.Get("Content-Encoding"))
		}
		zipped, body := fetch(t, s, path, "gzip, deflate, br")
		if zipped.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s with gzip: Content-Encoding %q, want gzip", path, zipped.Header.Get("Content-Encoding"))
		}
		if !strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") || !strings.Contains(plain.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Vary %q and %q, want Accept-Encoding on both", path, zipped.Header.Get("Vary"), plain.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: not gzip: %v", path, err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: broken gzip: %v", path, err)
		}
		if len(body) >= len(unzipped)*3/4 {
			t.Errorf("%s: %d bytes gzipped from %d: hardly smaller", path, len(body), len(unzipped))
		}
		// Pages render what the request carries (a CSRF token): compare what does not change.
		if path == "/openapi.yaml" && !bytes.Equal(unzipped, whole) {
			t.Errorf("%s: gzipped body differs from the plain one", path)
		}
		if !bytes.HasPrefix(bytes.TrimSpace(unzipped), bytes.TrimSpace(whole)[:20]) {
			t.Errorf("%s: gzipped body starts %q, plain %q", path, unzipped[:20], whole[:20])
		}
	}

	// A tiny JSON answer is not worth compressing; gzip refused by q=0 is not sent.
	for _, tc := range []struct{ path, accept string }{{"/healthz", "gzip"}, {"/docs", "gzip;q=0"}} {
		res, _ := fetch(t, s, tc.path, tc.accept)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s with Accept-Encoding %q: %d, Content-Encoding %q, want none", tc.path, tc.accept, res.StatusCode, res.Header.Get("Content-Encoding"))
		}
	}

	// A JSON list from the API goes compressed, and reads as JSON.
	for i := range 12 {
		mustDo(t, pr.Client, "POST", "/v1/advocates", map[string]string{"name": "Jane Avery", "email": fmt.Sprintf("jane%d@example.com", i)}, 201, nil)
	}
	req, _ := http.NewRequest("GET", s.URL+"/v1/advocates", nil)
	req.Header.Set("Authorization", "Bearer "+pr.Key)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := (&http.Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("advocate list: %d, Content-Encoding %q, Content-Type %q, want gzipped JSON", res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
	}
}
