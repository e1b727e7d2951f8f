package referral_test

import (
	"errors"
	"testing"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// Text no one types (a NUL, bytes that are not UTF-8) is refused by the domain itself, so
// every way in (API, webhook, forms) answers the same, naming the field at any depth, once.
func TestTextIsRefusedNamingTheField(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	ctx := t.Context()
	for _, tc := range []struct {
		name   string
		err    error
		fields []string
	}{
		{"advocate name with a NUL", func() error {
			_, _, err := s.CreateAdvocate(ctx, p, referral.NewAdvocate{Name: "Ja\x00ne", Email: "jane@example.com"})
			return err
		}(), []string{"name"}},
		{"advocate email not UTF-8, reported once", func() error {
			_, _, err := s.CreateAdvocate(ctx, p, referral.NewAdvocate{Name: "Jane", Email: "JANE\xff@example.com"})
			return err
		}(), []string{"email"}},
		{"payment: invoice, amount and currency", func() error {
			_, err := s.RecordConversion(ctx, p, referral.PaymentEvent{InvoiceID: "INV\x00", Amount: "1\x00", Currency: "US\xffD"})
			return err
		}(), []string{"amount", "currency", "invoice_id"}},
		{"settings: one origin of a list and the nested offer", func() error {
			_, err := s.UpdateSettings(ctx, p, referral.PracticeSettings{AllowedOrigins: []string{"https://a.example", "https://b.example\x00"},
				FriendOffer: referral.FriendOffer{Description: "20% off\xfe"}})
			return err
		}(), []string{"allowed_origins[1]", "friend_offer.description"}},
		{"a new advocate's rename", func() error {
			_, err := s.UpdateAdvocate(ctx, p, "adv_01JD3Q6Z8K2V7T9X4M5N6P7R8S", referral.AdvocateChange{Name: new("Jo\x00")})
			return err
		}(), []string{"name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, tc.err, referral.EInvalid, tc.fields...)
			var e *referral.Error
			errors.As(tc.err, &e)
			for _, f := range e.Fields {
				if f.Field != "amount" && f.Field != "currency" && f.Detail != "must be UTF-8 text without NUL characters" {
					t.Errorf("%s: %q", f.Field, f.Detail)
				}
			}
		})
	}
	if list := mustAdvocates(t, s, p, referral.AdvocateFilter{}); len(list) != 0 {
		t.Errorf("%d advocates after refused input", len(list))
	}
}

// Looking something up by such text finds nothing, on every engine, instead of an error.
func TestLookupsByTextNoOneTypesFindNothing(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	ctx := t.Context()
	_, err := s.RedeemReward(ctx, p, "AL-\x00")
	wantError(t, err, referral.ENotFound)
	_, err = s.Advocate(ctx, p, "adv_\xff")
	wantError(t, err, referral.ENotFound)
	_, err = s.ConfirmNearMiss(ctx, p, "nms_\x00")
	wantError(t, err, referral.ENotFound)
	wantError(t, s.DismissNearMiss(ctx, p, "\x00"), referral.ENotFound)
	wantError(t, s.RevokeAPIKey(ctx, p, "\xff"), referral.ENotFound)
	wantError(t, s.Unsubscribe(ctx, p, "hk_\x00"), referral.ENotFound)
	_, err = s.Message(ctx, p, "msg_\x00")
	wantError(t, err, referral.ENotFound)
	_, err = s.SignIn(ctx, "admin\x00@example.com", "password", "192.0.2.1")
	wantError(t, err, referral.EUnauthorized)
}

// A cursor is the next_cursor of the page before; anything else is refused, not read as the
// first page or an empty one.
func TestPageCursorIsAnIDOfTheList(t *testing.T) {
	t.Parallel()
	s, _ := mustService(t)
	p := mustPractice(t, s)
	mustAdvocate(t, s, p, "Jane Avery", "jane@example.com")
	mustAdvocate(t, s, p, "Kim Kerr", "kim@example.com")
	first, next, err := s.Advocates(t.Context(), p, referral.AdvocateFilter{}, referral.Page{Limit: 1})
	if err != nil || len(first) != 1 || next == "" {
		t.Fatalf("first page: %v %v %q", first, err, next)
	}
	// Both were made in the same millisecond, so which one comes first is the ids' order; the
	// second page holds the other one.
	if list, _, err := s.Advocates(t.Context(), p, referral.AdvocateFilter{}, referral.Page{Limit: 1, Cursor: next}); err != nil || len(list) != 1 || list[0].ID == first[0].ID {
		t.Fatalf("second page after %s: %v %v", first[0].ID, list, err)
	}
	for _, cursor := range []string{"garbage", "adv_", "adv_garbage", next + "x", next[:len(next)-1], "ref" + next[3:],
		"adv_01JD3Q6Z8K2V7T9X4M5N6P7R8U", "adv_81JD3Q6Z8K2V7T9X4M5N6P7R8S", "ADV" + next[3:], "\x00"} {
		_, _, err := s.Advocates(t.Context(), p, referral.AdvocateFilter{}, referral.Page{Cursor: cursor})
		wantError(t, err, referral.EInvalid, "cursor")
	}
}
