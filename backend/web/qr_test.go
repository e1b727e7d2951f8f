package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Each QR code is an SVG of exactly the modules that encode its link.
func TestQRCodes(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", referral.PracticeSettings{})
	jane := s.mustAdvocate(t, p, "Jane Park", "jane@example.com")

	for path, link := range map[string]string{
		"/p/" + p.Slug + "/qr.svg":                     s.URL + "/p/" + p.Slug,
		"/r/" + jane.Code + "/qr.svg":                  jane.URL,
		"/r/" + strings.ToLower(jane.Code) + "/qr.svg": jane.URL,
	} {
		r := s.get(t, path)
		if r.Status != 200 || r.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("GET %s = %d %s", path, r.Status, r.Header.Get("Content-Type"))
		}
		if !strings.HasPrefix(r.Body, "<svg ") || !strings.HasSuffix(r.Body, "</svg>") || len(r.Body) < 500 {
			t.Errorf("GET %s: not a QR code's SVG:\n%s", path, r.Body)
		}
		t.Logf("%s: %d bytes", path, len(r.Body))
		got, size := modules(t, r.Body)
		want, err := qr.Encode(link, qr.M, qr.Auto)
		if err != nil {
			t.Fatal(err)
		}
		n := want.Bounds().Dx()
		if size != n+8 {
			t.Errorf("GET %s: %d modules across, want %d and a quiet zone of 4", path, size, n)
		}
		for y := range n {
			for x := range n {
				r, _, _, _ := want.At(x, y).RGBA()
				if dark := r < 0x8000; got[[2]int{x + 4, y + 4}] != dark {
					t.Fatalf("GET %s: module (%d,%d) differs from the QR code of %s", path, x, y, link)
				}
			}
		}
		if len(got) == 0 {
			t.Errorf("GET %s draws nothing", path)
		}
	}
}

var (
	viewBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	run     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
)

// modules reads back which modules an SVG of ours paints dark.
func modules(tb testing.TB, svg string) (map[[2]int]bool, int) {
	tb.Helper()
	m := viewBox.FindStringSubmatch(svg)
	if m == nil || m[1] != m[2] {
		tb.Fatalf("no square viewBox in %s", svg)
	}
	size, _ := strconv.Atoi(m[1])
	dark := map[[2]int]bool{}
	d := svg[strings.Index(svg, ` d="`)+4:]
	d = d[:strings.Index(d, `"`)]
	if leftover := run.ReplaceAllString(d, ""); leftover != "" {
		tb.Fatalf("the path holds more than runs of modules: %q", leftover)
	}
	for _, r := range run.FindAllStringSubmatch(d, -1) {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		n, _ := strconv.Atoi(r[3])
		if r[3] != r[4] {
			tb.Fatalf("a run is not a rectangle: %s", r[0])
		}
		for i := range n {
			dark[[2]int{x + i, y}] = true
		}
	}
	return dark, size
}
