package web_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// ogTags are the Open Graph tags of a page, property → content as the HTML holds it.
func ogTags(body string) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`<meta property="(og:[a-z_]+)" content="([^"]*)">`).FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestInvitationPreview: an advocate's shared link previews with the practice's name and
// offer and its own address, never the advocate's name, whatever the names hold.
func TestInvitationPreview(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	const hostile = `Glow "Spa" <script>alert(1)</script> & Co`
	p := s.mustPractice(t, hostile, referral.PracticeSettings{
		FriendOffer: referral.FriendOffer{Description: `$25 off "your" first facial <b>now</b>`}})
	a := s.mustAdvocate(t, p, `Zelda "Quill" <i>`, "zelda@example.com")

	page := s.get(t, "/r/"+a.Code)
	wantPage(t, page, 200)
	og := ogTags(page.Body)
	want := map[string]string{
		"og:type":        "website",
		"og:site_name":   p.Name, // the hostile name, numbered by mustPractice
		"og:title":       "You're invited to " + p.Name,
		"og:description": `Claim your welcome offer: $25 off "your" first facial <b>now</b>.`,
		"og:url":         s.URL + "/r/" + a.Code,
	}
	for property, text := range want {
		got, ok := og[property]
		if !ok {
			t.Errorf("no %s tag\n%s", property, page.Body)
			continue
		}
		if strings.ContainsAny(got, `<>"`) {
			t.Errorf("%s = %q: not escaped", property, got)
		}
		if html.UnescapeString(got) != text {
			t.Errorf("%s reads %q, want %q", property, html.UnescapeString(got), text)
		}
	}
	for property, got := range og {
		if strings.Contains(html.UnescapeString(got), "Zelda") || strings.Contains(got, "zelda@") {
			t.Errorf("%s = %q names the advocate", property, got)
		}
	}

	// Without an offer the preview invites all the same.
	plain := s.mustPractice(t, "Plain Spa", referral.PracticeSettings{})
	b := s.mustAdvocate(t, plain, "Kim", "kim@example.com")
	if got := ogTags(s.get(t, "/r/"+b.Code).Body)["og:description"]; got != "Claim your invitation, then book your first visit." {
		t.Errorf("og:description without an offer = %q", got)
	}
	// Pages that are not an invitation have no preview of one.
	if got := ogTags(s.get(t, "/r/NOPE2345").Body); len(got) != 0 {
		t.Errorf("the 404 page has preview tags %v", got)
	}
}

// TestRobotsAndFavicon: crawlers are kept out of the dashboard, advocates' own pages and the
// set-up, and let into the rest; every patient page links the favicon, which is served.
func TestRobotsAndFavicon(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	robots := s.get(t, "/robots.txt")
	if robots.Status != 200 || !strings.HasPrefix(robots.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt: %d %s", robots.Status, robots.Header.Get("Content-Type"))
	}
	for _, line := range []string{"User-agent: *", "Disallow: /app\n", "Disallow: /p/*/me\n", "Disallow: /setup\n", "Allow: /\n"} {
		if !strings.Contains(robots.Body, line) {
			t.Errorf("robots.txt lacks %q:\n%s", line, robots.Body)
		}
	}
	for _, allowed := range []string{"/p/", "/r/", "/docs", "/login", "/widget.js"} {
		if strings.Contains(robots.Body, "Disallow: "+allowed+"\n") {
			t.Errorf("robots.txt keeps crawlers off %s", allowed)
		}
	}

	icon := s.get(t, "/favicon.svg")
	if icon.Status != 200 || icon.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(icon.Body, "<svg") {
		t.Fatalf("favicon: %d %s %.40s", icon.Status, icon.Header.Get("Content-Type"), icon.Body)
	}
	p := s.mustPractice(t, "Glow", referral.PracticeSettings{})
	a := s.mustAdvocate(t, p, "Jane", "jane@example.com")
	for _, path := range []string{"/p/" + p.Slug, "/r/" + a.Code, "/p/" + p.Slug + "/me", "/r/NOPE2345"} {
		if page := s.get(t, path); !strings.Contains(page.Body, `<link rel="icon" href="/favicon.svg" type="image/svg+xml">`) {
			t.Errorf("%s links no favicon", path)
		}
	}
}
