package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Whatever a practice, an advocate or a friend is called, it reaches pages as text.
func TestHostileNamesAreEscaped(t *testing.T) {
	t.Parallel()
	const hostile = "<script>alert(1)</script>"
	s := mustServe(t)
	p := s.mustPractice(t, hostile, referral.PracticeSettings{
		LogoURL:     "https://glow.example/logo.png",
		BookingURL:  `https://book.example/"><script>alert(3)</script>`,
		FriendOffer: referral.FriendOffer{Description: `"><img src=x onerror=alert(2)>`, WelcomeCode: "<b>W25</b>"},
	})
	a := s.mustAdvocate(t, p, hostile, "jane@example.com")
	s.mustAdvocate(t, p, "Kim", "kim@example.com")
	session := s.mustSignIn(t, p, "jane@example.com")
	s.postForm(t, "/p/"+p.Slug+"/me", url.Values{"email": {"jane@example.com"}})
	signIn := s.pathOf(t, s.lastMessage(t, p, referral.SignInEmail, "jane@example.com").Letter.SignInURL)
	unsubscribe := s.pathOf(t, s.lastMessage(t, p, referral.AdvocateWelcome, "jane@example.com").Letter.UnsubscribeURL)

	pages := map[string]*response{
		"join page":        s.get(t, "/p/"+p.Slug),
		"join result":      s.postForm(t, "/p/"+p.Slug, person(hostile, "fran@example.com")),
		"join refused":     s.postForm(t, "/p/"+p.Slug, person(hostile, "not-an-email")),
		"friend page":      s.get(t, "/r/"+a.Code),
		"claim":            s.postForm(t, "/r/"+a.Code, person(hostile, "gus@example.com")),
		"claim invalid":    s.postForm(t, "/r/"+a.Code, person(hostile, "nope")),
		"advocate page":    s.get(t, "/p/"+p.Slug+"/me", "Cookie", session),
		"sign-in form":     s.get(t, "/p/"+p.Slug+"/me"),
		"sign-in refused":  s.postForm(t, "/p/"+p.Slug+"/me", url.Values{"email": {hostile}}),
		"one-time link":    s.get(t, signIn),
		"unsubscribe page": s.get(t, unsubscribe),
		"unsubscribed":     s.do(t, "POST", unsubscribe, strings.NewReader("List-Unsubscribe=One-Click"), "Content-Type", "application/x-www-form-urlencoded"),
		"widget answer":    s.do(t, "POST", "/p/"+p.Slug+"/advocates", strings.NewReader(`{"name":"<script>alert(1)</script>","email":"hal@example.com"}`), "Content-Type", "application/json"),
		"widget refusal":   s.do(t, "POST", "/p/"+p.Slug+"/advocates", strings.NewReader(`{"name":"<script>alert(1)</script>","email":"x"}`), "Content-Type", "application/json"),
	}
	for name, r := range pages {
		t.Run(name, func(t *testing.T) {
			if r.Status >= 500 {
				t.Fatalf("status %d", r.Status)
			}
			wantNone(t, r, "<script>alert", "<img src=x", "<b>W25", "W25")
			if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				checkPage(t, r.Body)
				if !strings.Contains(r.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
					t.Errorf("the name is not on the page as text\n%s", r.Body)
				}
			}
		})
	}
	wantPage(t, pages["join page"], 200, `alt="&lt;script&gt;alert(1)&lt;/script&gt; `, "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;")
	wantPage(t, pages["friend page"], 200, "<title>&lt;script&gt;alert(1)&lt;/script&gt; invited you to")
	wantPage(t, pages["claim"], 200, `href="https://book.example/%22%3e%3cscript%3ealert%283%29%3c/script%3e"`)
	wantPage(t, pages["advocate page"], 200, "Hi &lt;script&gt;alert(1)&lt;/script&gt;.")
}
