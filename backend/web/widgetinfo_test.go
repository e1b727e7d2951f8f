package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/brand"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// TestWidgetInfo: the widget learns the practice's colours (readable on its white card) and
// what an advocate earns and a friend gets, on an allowed site, this server's pages, or with
// no Origin at all.
func TestWidgetInfo(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", referral.PracticeSettings{BrandColor: "#f5d0e0",
		AllowedOrigins: []string{"https://glowaesthetics.com"},
		FriendOffer:    referral.FriendOffer{Description: "20% off your first facial"}})
	path := "/p/" + p.Slug + "/widget"
	pale := brand.Of("#f5d0e0", "#ffffff")
	for _, origin := range []string{"https://glowaesthetics.com", s.URL, ""} {
		res := s.Client.Get(path, "Origin", origin)
		var info map[string]string
		res.JSON(t, &info)
		if res.Status != 200 || res.Header.Get("Access-Control-Allow-Origin") != origin {
			t.Fatalf("from %q: %d, Access-Control-Allow-Origin %q", origin, res.Status, res.Header.Get("Access-Control-Allow-Origin"))
		}
		want := map[string]string{"practice": p.Name, "brand_color": pale.Color, "on_brand_color": pale.OnColor,
			"ink_color": pale.Ink, "reward": "$50", "friend_offer": "20% off your first facial",
			"pitch": "Refer a friend to " + p.Name + ": they get 20% off your first facial, and you earn $50 in service credit after their first paid visit."}
		for k, v := range want {
			if info[k] != v {
				t.Errorf("from %q: %s = %q, want %q", origin, k, info[k], v)
			}
		}
	}
	if pale.Ink == "#f5d0e0" {
		t.Error("a pale colour is used as is for links on white") // the test would prove nothing
	}

	plain := s.mustPractice(t, "Plain Spa", referral.PracticeSettings{})
	var info map[string]string
	s.Client.Get("/p/"+plain.Slug+"/widget").JSON(t, &info)
	if info["friend_offer"] != "" || info["pitch"] != "Refer a friend to "+plain.Name+" and you earn $50 in service credit after their first paid visit." {
		t.Errorf("without an offer: %v", info)
	}
	if res := s.Client.Get("/p/no-such-practice/widget"); res.Status != 404 {
		t.Errorf("unknown practice: %d", res.Status)
	}
	if res := s.Client.WithoutRequestCheck().Post(path, map[string]string{}); res.Status != 405 || res.Header.Get("Allow") != "GET, HEAD" || res.Problem(t).Slug() != "method-not-allowed" {
		t.Errorf("POST: %d, Allow %q", res.Status, res.Header.Get("Allow"))
	}
}

// TestWidgetRefusalIsToldAndKept: a site the practice has not allowed can read why (so the
// widget tells its owner which origin to add), and staff see the last such site with its time;
// a join refused the same way counts too, and one practice never sees another's.
func TestWidgetRefusalIsToldAndKept(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	p := s.mustPractice(t, "Glow Aesthetics", referral.PracticeSettings{AllowedOrigins: []string{"https://glowaesthetics.com"}})
	other := s.mustPractice(t, "Other Spa", referral.PracticeSettings{})
	ctx := context.Background()
	last := func(p *referral.Practice) *referral.WidgetRefusal {
		t.Helper()
		r, err := s.Service.LastWidgetRefusal(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := last(p); r != nil {
		t.Fatalf("a new practice has a refusal: %+v", r)
	}

	res := s.Client.Get("/p/"+p.Slug+"/widget", "Origin", "https://www.glowaesthetics.com")
	if res.Status != 403 || res.Problem(t).Slug() != "origin-not-allowed" ||
		res.Header.Get("Access-Control-Allow-Origin") != "https://www.glowaesthetics.com" {
		t.Fatalf("refused site: %d %s, Access-Control-Allow-Origin %q", res.Status, res.Body, res.Header.Get("Access-Control-Allow-Origin"))
	}
	if d := res.Problem(t).Detail; d != "This site (https://www.glowaesthetics.com) is not one of "+p.Name+"'s allowed sites for the referral widget. Add https://www.glowaesthetics.com to the allowed widget origins in AdvocateLoop's Settings." {
		t.Errorf("detail = %q", d)
	}
	r := last(p)
	if r == nil || r.Origin != "https://www.glowaesthetics.com" || r.At.Sub(s.Service.Now()).Abs() > time.Minute {
		t.Fatalf("kept refusal = %+v, want www.glowaesthetics.com now", r)
	}

	// Later, a join from another site: the newest refusal is the one kept.
	s.advance(time.Hour)
	s.Client.Post("/p/"+p.Slug+"/advocates", map[string]string{"name": "Sam", "email": "sam@example.com"}, "Origin", "http://glowaesthetics.com")
	if r2 := last(p); r2 == nil || r2.Origin != "http://glowaesthetics.com" || !r2.At.After(r.At) {
		t.Errorf("after a refused join: %+v", r2)
	}
	// What is no site's origin is refused and not kept.
	for _, origin := range []string{"null", "https://x.example/path", "javascript:alert(1)", "https://a@x.example"} {
		s.Client.Get("/p/"+p.Slug+"/widget", "Origin", origin)
	}
	if r3 := last(p); r3 == nil || r3.Origin != "http://glowaesthetics.com" {
		t.Errorf("a non-origin was kept: %+v", r3)
	}
	if r := last(other); r != nil {
		t.Errorf("another practice sees a refusal: %+v", r)
	}
}
