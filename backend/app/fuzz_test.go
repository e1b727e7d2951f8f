package app_test

import (
	"log/slog"
	"net/url"
	"regexp"
	"testing"

	"github.com/advocateloop/advocateloop/backend/config"
)

// FuzzListCursor: every list endpoint of the real server answers a page only for a cursor that
// is one of that list's own ids (or none); any other cursor is a 422 naming cursor, never a 500
// nor a page read from a made-up place. Every answer is held to openapi.yaml. `go test` replays
// the seeds in testdata/fuzz.
func FuzzListCursor(f *testing.F) {
	prev := slog.Default() // thousands of request lines a second would drown the fuzzer
	slog.SetDefault(slog.New(slog.DiscardHandler))
	f.Cleanup(func() { slog.SetDefault(prev) })
	s := mustServe(f, func(c *config.Config) { c.RateLimit = 1e6 })
	pr := mustProgram(f, s, "Glow Aesthetics", "cursor.example")
	pr.Hook = mustHook(f, pr.Client, "conversion.reversed")
	// Each list's ids: its prefix and a ULID (Crockford base 32, upper case, at most 7 first).
	lists := []struct {
		path string
		id   *regexp.Regexp
	}{
		{"/v1/advocates", ulid("adv")}, {"/v1/referrals", ulid("ref")}, {"/v1/conversions", ulid("cnv")},
		{"/v1/rewards", ulid("rwd")}, {"/v1/near-misses", ulid("nms")}, {"/v1/events", ulid("evt")},
		{"/v1/webhook-receipts", ulid("whr")}, {"/v1/hooks", ulid("hk")},
	}
	// A real cursor always reads the next page.
	for i, l := range lists {
		var page struct {
			NextCursor *string `json:"next_cursor"`
		}
		mustDo(f, pr.Client, "GET", l.path+"?limit=1", nil, 200, &page)
		if page.NextCursor != nil {
			mustDo(f, pr.Client, "GET", l.path+"?limit=1&cursor="+url.QueryEscape(*page.NextCursor), nil, 200, nil)
			f.Add(uint8(i), *page.NextCursor)
		}
	}
	f.Fuzz(func(t *testing.T, list uint8, cursor string) {
		l := lists[int(list)%len(lists)]
		res := pr.Client.WithoutRequestCheck().For(t).Get(l.path + "?cursor=" + url.QueryEscape(cursor))
		switch res.Status {
		case 200:
			if cursor != "" && !l.id.MatchString(cursor) {
				t.Fatalf("GET %s: the cursor %q reads as a place in the list", l.path, cursor)
			}
		case 422:
			if _, ok := res.Problem(t).Field("cursor"); !ok {
				t.Fatalf("GET %s: the cursor %q is refused without naming it: %s", l.path, cursor, res.Body)
			}
		default:
			t.Fatalf("GET %s with the cursor %q: %d %s", l.path, cursor, res.Status, res.Body)
		}
	})
}

func ulid(prefix string) *regexp.Regexp {
	return regexp.MustCompile(`^` + prefix + `_[0-7][0-9A-HJKMNP-TV-Z]{25}$`)
}
