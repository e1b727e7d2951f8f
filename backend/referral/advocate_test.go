package referral_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// referralCode is 8 characters of the alphabet without 0/O, 1/I/L.
var referralCode = regexp.MustCompile(`^[2-9ABCDEFGHJKMNPQRSTUVWXYZ]{8}$`)

func TestCreateAdvocate(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)

	a, created, err := s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "Jane Park", Email: "  Jane.Park@Example.COM "})
	if err != nil || !created {
		t.Fatalf("CreateAdvocate = %v, %v, want created", created, err)
	}
	if a.Email != "jane.park@example.com" {
		t.Errorf("email = %q, want it trimmed and lower-cased", a.Email)
	}
	if a.Name != "Jane Park" || a.Status != referral.Active || a.PracticeID != p.ID {
		t.Errorf("advocate = %+v", a)
	}
	if !referralCode.MatchString(a.Code) {
		t.Errorf("code = %q, want 8 unambiguous characters", a.Code)
	}
	if want := "https://refer.example/r/" + a.Code; a.URL != want {
		t.Errorf("url = %q, want %q", a.URL, want)
	}
	if !strings.HasPrefix(a.ID, "adv_") || !a.CreatedAt.Equal(epoch) {
		t.Errorf("id = %q, created_at = %v", a.ID, a.CreatedAt)
	}

	events := mustEvents(t, s, p, "")
	if len(events) != 1 || events[0].Type != referral.AdvocateCreated {
		t.Fatalf("events = %+v, want one advocate.created", events)
	}
	var data referral.Advocate
	if err := json.Unmarshal(events[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.ID != a.ID || data.Email != a.Email || data.Code != a.Code || data.URL != a.URL {
		t.Errorf("event data = %s, want the advocate %+v", events[0].Data, a)
	}

	got, err := s.Advocate(t.Context(), p, a.ID)
	if err != nil || got.ID != a.ID || got.URL != a.URL || got.Email != a.Email {
		t.Errorf("Advocate(%s) = %+v, %v", a.ID, got, err)
	}
}

func TestCreateAdvocateReturnsExistingForSameEmail(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	first := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")

	for _, email := range []string{"jane@example.com", "JANE@EXAMPLE.COM", "  Jane@Example.com\t"} {
		t.Run(email, func(t *testing.T) {
			a, created, err := s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "Someone Else", Email: email})
			if err != nil || created {
				t.Fatalf("CreateAdvocate = %v, %v, want the existing advocate", created, err)
			}
			if a.ID != first.ID || a.Code != first.Code || a.Name != "Jane Park" {
				t.Errorf("advocate = %+v, want %+v", a, first)
			}
			if a.URL != first.URL {
				t.Errorf("url = %q, want %q", a.URL, first.URL)
			}
		})
	}
	if n := len(mustAdvocates(t, s, p, referral.AdvocateFilter{})); n != 1 {
		t.Errorf("%d advocates, want 1", n)
	}
	wantEvents(t, s, p, referral.AdvocateCreated)
}

func TestCreateAdvocateRefusesBadInput(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	for _, tc := range []struct {
		name   string
		in     referral.NewAdvocate
		fields []string
	}{
		{"no name", referral.NewAdvocate{Email: "a@example.com"}, []string{"name"}},
		{"no email", referral.NewAdvocate{Name: "Ann"}, []string{"email"}},
		{"blank email", referral.NewAdvocate{Name: "Ann", Email: "   "}, []string{"email"}},
		{"bad email", referral.NewAdvocate{Name: "Ann", Email: "ann at example"}, []string{"email"}},
		{"name too long", referral.NewAdvocate{Name: strings.Repeat("a", 201), Email: "a@example.com"}, []string{"name"}},
		{"both missing", referral.NewAdvocate{}, []string{"email", "name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := s.CreateAdvocate(t.Context(), p, tc.in)
			wantError(t, err, referral.EInvalid, tc.fields...)
		})
	}
	if n := len(mustAdvocates(t, s, p, referral.AdvocateFilter{})); n != 0 {
		t.Errorf("%d advocates, want none", n)
	}
	wantEvents(t, s, p)
}

func TestUpdateAdvocate(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	a := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	name, disabled, bogus, empty := "Jane Park-Lee", referral.Disabled, "paused", ""

	c.Add(time.Second)
	got, err := s.UpdateAdvocate(t.Context(), p, a.ID, referral.AdvocateChange{Name: &name})
	if err != nil || got.Name != name || got.Status != referral.Active || got.Code != a.Code || got.URL != a.URL {
		t.Fatalf("rename = %+v, %v", got, err)
	}
	if !got.UpdatedAt.After(a.UpdatedAt) {
		t.Errorf("updated_at = %v, want later than %v", got.UpdatedAt, a.UpdatedAt)
	}
	got, err = s.UpdateAdvocate(t.Context(), p, a.ID, referral.AdvocateChange{Status: &disabled})
	if err != nil || got.Status != referral.Disabled || got.Name != name {
		t.Fatalf("disable = %+v, %v", got, err)
	}
	if got, _ := s.Advocate(t.Context(), p, a.ID); got.Status != referral.Disabled {
		t.Errorf("stored status = %q, want disabled", got.Status)
	}

	_, err = s.UpdateAdvocate(t.Context(), p, a.ID, referral.AdvocateChange{Status: &bogus})
	wantError(t, err, referral.EInvalid, "status")
	_, err = s.UpdateAdvocate(t.Context(), p, a.ID, referral.AdvocateChange{Name: &empty})
	wantError(t, err, referral.EInvalid, "name")
	_, err = s.UpdateAdvocate(t.Context(), p, "adv_nope", referral.AdvocateChange{Name: &name})
	wantError(t, err, referral.ENotFound)
	_, err = s.Advocate(t.Context(), p, "adv_nope")
	wantError(t, err, referral.ENotFound)

	wantEvents(t, s, p, referral.AdvocateCreated) // editing an advocate is not an event
}

func TestAdvocatesFilters(t *testing.T) {
	t.Parallel()
	s, c := mustService(t)
	p := mustPractice(t, s)
	jane := mustAdvocate(t, s, p, "Jane Park", "jane@example.com")
	c.Add(time.Millisecond) // ids order by the millisecond
	mustAdvocate(t, s, p, "Ann Lee", "ann@example.com")
	disabled := referral.Disabled
	if _, err := s.UpdateAdvocate(t.Context(), p, jane.ID, referral.AdvocateChange{Status: &disabled}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		filter referral.AdvocateFilter
		want   []string
	}{
		{"all, newest first", referral.AdvocateFilter{}, []string{"ann@example.com", "jane@example.com"}},
		{"email any case", referral.AdvocateFilter{Email: " JANE@Example.com "}, []string{"jane@example.com"}},
		{"code any case", referral.AdvocateFilter{Code: strings.ToLower(jane.Code)}, []string{"jane@example.com"}},
		{"status", referral.AdvocateFilter{Status: referral.Active}, []string{"ann@example.com"}},
		{"no such email", referral.AdvocateFilter{Email: "nobody@example.com"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range mustAdvocates(t, s, p, tc.filter) {
				got = append(got, a.Email)
				if a.URL == "" {
					t.Errorf("%s has no referral url", a.Email)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("advocates = %q, want %q", got, tc.want)
			}
		})
	}
}

// The free plan holds 100 active advocates; past it joins are refused with plan-limit, but
// existing advocates keep joining (by email), referring and converting.
func TestPlanLimit(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	var first *referral.Advocate
	codes := map[string]bool{}
	for i := range referral.FreeAdvocateLimit - 2 {
		a := mustAdvocate(t, s, p, fmt.Sprintf("Advocate %d", i), fmt.Sprintf("advocate%d@example.com", i))
		if !referralCode.MatchString(a.Code) || codes[a.Code] {
			t.Fatalf("code %q is malformed or repeated", a.Code)
		}
		codes[a.Code] = true
		if first == nil {
			first = a
		}
	}
	// Four join at once for the last two places: two are admitted.
	errs := concurrently(4, func(i int) error {
		_, _, err := s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "Late", Email: fmt.Sprintf("late%d@example.com", i)})
		return err
	})
	admitted := 0
	for _, err := range errs {
		switch referral.ErrorCode(err) {
		case "":
			if err != nil {
				t.Fatal(err)
			}
			admitted++
		case referral.EPlanLimit:
		default:
			t.Errorf("concurrent join: %v", err)
		}
	}
	if admitted != 2 {
		t.Errorf("%d of 4 concurrent joins admitted for the last 2 places", admitted)
	}
	if n, err := s.ActiveAdvocates(t.Context(), p); err != nil || n != 100 {
		t.Fatalf("ActiveAdvocates = %d, %v, want 100", n, err)
	}

	// The 101st is refused with a problem that says how to continue.
	_, _, err := s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "One Too Many", Email: "extra@example.com"})
	wantError(t, err, referral.EPlanLimit)
	if detail := err.Error(); !strings.Contains(detail, "100") || !strings.Contains(detail, "upgrade") {
		t.Errorf("detail %q does not say how to continue", detail)
	}
	if n := len(mustEvents(t, s, p, referral.AdvocateCreated)); n != 100 {
		t.Errorf("%d advocate.created events, want 100 (none for the refusal)", n)
	}

	// An existing advocate joining again is not a new one.
	again, created, err := s.CreateAdvocate(t.Context(), p, referral.NewAdvocate{Name: "Advocate 0", Email: "ADVOCATE0@example.com"})
	if err != nil || created || again.ID != first.ID {
		t.Errorf("existing advocate at the limit = %+v, %v, %v", again, created, err)
	}

	// Conversions for existing advocates never stop.
	mustReferral(t, s, p, first, "Fran Fields", "fran@example.com")
	if c := mustConvert(t, s, p, pay("INV-1", "fran@example.com")); c.Reward == nil || c.Reward.Status != referral.Issued {
		t.Errorf("conversion at the limit = %+v, want an issued reward", c)
	}

	// Disabling one frees a place; re-enabling it past the limit is refused.
	disabled, active := referral.Disabled, referral.Active
	if _, err := s.UpdateAdvocate(t.Context(), p, first.ID, referral.AdvocateChange{Status: &disabled}); err != nil {
		t.Fatal(err)
	}
	mustAdvocate(t, s, p, "Newcomer", "newcomer@example.com")
	_, err = s.UpdateAdvocate(t.Context(), p, first.ID, referral.AdvocateChange{Status: &active})
	wantError(t, err, referral.EPlanLimit)
	if a, _ := s.Advocate(t.Context(), p, first.ID); a.Status != referral.Disabled {
		t.Errorf("refused re-enable left status %q", a.Status)
	}
	// Renaming a disabled advocate at the limit is not re-enabling it.
	name := "Advocate Zero"
	if _, err := s.UpdateAdvocate(t.Context(), p, first.ID, referral.AdvocateChange{Name: &name}); err != nil {
		t.Errorf("rename at the limit: %v", err)
	}
	if n, _ := s.ActiveAdvocates(t.Context(), p); n != 100 {
		t.Errorf("ActiveAdvocates = %d, want 100", n)
	}
}
