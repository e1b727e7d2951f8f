package referral_test

import (
	"testing"
	"time"
)

// The last refused site is kept for staff to the minute: the same site refused on every page
// view writes once a minute, while another site is kept at once.
func TestWidgetRefusalKeptOnceAMinute(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	refuse := func(origin string) {
		t.Helper()
		if err := s.RefuseWidgetOrigin(t.Context(), p, origin); err != nil {
			t.Fatal(err)
		}
	}
	last := func(origin string, at time.Time) {
		t.Helper()
		got, err := s.LastWidgetRefusal(t.Context(), p)
		if err != nil || got == nil || got.Origin != origin || !got.At.Equal(at) {
			t.Fatalf("last refusal = %+v, %v; want %s at %v", got, err, origin, at)
		}
	}
	first := c.Now()
	refuse("https://shop.example")
	c.Add(30 * time.Second)
	refuse("https://shop.example")
	last("https://shop.example", first)
	refuse("https://blog.example")
	last("https://blog.example", c.Now())
	c.Add(2 * time.Minute)
	refuse("https://blog.example")
	last("https://blog.example", c.Now())
}
