package app_test

import (
	"strings"
	"testing"
)

// TestTenancy gives practice B a key and every id, code and email of practice A: B can
// neither see nor change anything of A's, and cannot even tell A's ids from missing ones.
func TestTenancy(t *testing.T) {
	t.Parallel()
	s := mustServe(t)
	a := mustProgram(t, s, "Glow Aesthetics", "a.example")
	b := mustProgram(t, s, "Radiance Med Spa", "b.example")
	// Hooks for events neither practice causes again here, so no delivery is ever attempted.
	a.Hook = mustHook(t, a.Client, "conversion.reversed")
	b.Hook = mustHook(t, b.Client, "advocate.created")
	aBefore := rowsOf(s.rows(t), a.ID)
	if len(aBefore["practices"]) != 1 || len(aBefore["advocates"]) != 3 || len(aBefore["near_misses"]) != 1 || len(aBefore["hooks"]) != 1 {
		t.Fatalf("A's rows are not all found: %v", aBefore)
	}

	// B asks for A's things by id in the path: 404, the answer a missing id gets.
	for _, tc := range []struct {
		name             string
		method           string
		foreign, missing string // paths
		body             any
	}{
		{"show A's advocate", "GET", "/v1/advocates/" + a.Jane, "/v1/advocates/adv_01JD3Q6Z8K2V7T9X4M5N6P7R8S", nil},
		{"rename and disable A's advocate", "PATCH", "/v1/advocates/" + a.Jane, "/v1/advocates/adv_01JD3Q6Z8K2V7T9X4M5N6P7R8S",
			map[string]any{"name": "Hijacked", "status": "disabled"}},
		{"re-enable A's disabled advocate", "PATCH", "/v1/advocates/" + a.Dan, "/v1/advocates/adv_01JD3Q6Z8K2V7T9X4M5N6P7R8S",
			map[string]any{"status": "active"}},
		{"redeem A's reward", "POST", "/v1/rewards/" + a.Issued + "/redeem", "/v1/rewards/AL-ZZZZZZZZ/redeem", nil},
		{"redeem A's reward in lower case", "POST", "/v1/rewards/" + strings.ToLower(a.Issued) + "/redeem", "/v1/rewards/al-zzzzzzzz/redeem", nil},
		{"redeem A's redeemed reward", "POST", "/v1/rewards/" + a.Redeemed + "/redeem", "/v1/rewards/AL-ZZZZZZZZ/redeem", nil},
		{"confirm A's near-miss", "POST", "/v1/near-misses/" + a.NearMiss + "/confirm", "/v1/near-misses/nms_01JD3Q6Z8K2V7T9X4M5N6P7R8S/confirm", nil},
		{"dismiss A's near-miss", "POST", "/v1/near-misses/" + a.NearMiss + "/dismiss", "/v1/near-misses/nms_01JD3Q6Z8K2V7T9X4M5N6P7R8S/dismiss", nil},
		{"unsubscribe A's hook", "DELETE", "/v1/hooks/" + a.Hook, "/v1/hooks/hk_01JD3Q6Z8K2V7T9X4M5N6P7R8S", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.rows(t)
			foreign := b.Client.For(t).Do(tc.method, tc.foreign, tc.body)
			missing := b.Client.For(t).Do(tc.method, tc.missing, tc.body)
			assertSameRows(t, before, s.rows(t))
			if foreign.Status != 404 || missing.Status != 404 {
				t.Fatalf("A's id: %d, a missing id: %d; want 404 for both\n\t%s", foreign.Status, missing.Status, foreign.Body)
			}
			fp, mp := foreign.Problem(t), missing.Problem(t)
			if fp.Slug() != "not-found" {
				t.Errorf("problem type %q, want /problems/not-found", fp.Type)
			}
			fid, mid := lastSegment(tc.foreign), lastSegment(tc.missing)
			fp.Detail = strings.ReplaceAll(strings.ToUpper(fp.Detail), strings.ToUpper(fid), "…")
			mp.Detail = strings.ReplaceAll(strings.ToUpper(mp.Detail), strings.ToUpper(mid), "…")
			if fp.Type != mp.Type || fp.Title != mp.Title || fp.Status != mp.Status || fp.Detail != mp.Detail || len(fp.Errors)+len(mp.Errors) != 0 {
				t.Errorf("A's id and a missing id answer differently:\n\t%+v\n\t%+v", fp, mp)
			}
		})
	}

	// B names A's things in a body: the field is invalid, as an unknown id is.
	for _, tc := range []struct {
		name, path string
		body       map[string]any
		field      string
	}{
		{"refer a friend to A's advocate", "/v1/referrals",
			map[string]any{"advocate_id": a.Jane, "friend_name": "Nia North", "friend_email": "nia@b.example"}, "advocate_id"},
		{"refer a friend with A's code", "/v1/referrals",
			map[string]any{"referral_code": a.JaneCode, "friend_name": "Nia North", "friend_email": "nia@b.example"}, "referral_code"},
		{"refer A's friend to A's advocate", "/v1/referrals",
			map[string]any{"advocate_id": a.Kim, "friend_name": "Gail Green", "friend_email": a.email("gail")}, "advocate_id"},
		{"convert A's referral by hand", "/v1/conversions/manual", map[string]any{"referral_id": a.Gail}, "referral_id"},
		{"convert A's converted referral by hand", "/v1/conversions/manual", map[string]any{"referral_id": a.Fran, "amount": 10}, "referral_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.rows(t)
			res := b.Client.For(t).Post(tc.path, tc.body)
			assertSameRows(t, before, s.rows(t))
			if res.Status != 422 {
				t.Fatalf("%d, want 422\n\t%s", res.Status, res.Body)
			}
			p := res.Problem(t)
			if _, ok := p.Field(tc.field); p.Slug() != "validation-failed" || !ok {
				t.Errorf("%s %+v, want validation-failed naming %s", p.Type, p.Errors, tc.field)
			}
		})
	}

	// Nothing of A's in any of B's lists, even when B filters by A's ids, codes and emails.
	secrets := []string{a.ID, a.Jane, a.Kim, a.Dan, a.JaneCode, a.DanCode, a.Fran, a.Gail,
		a.Issued, a.Redeemed, a.Voided, a.NearMiss, a.Hook, "203.0.113.10/hooks/conversion.reversed", "@" + a.Domain}
	for _, tc := range []struct {
		path  string
		owned string // what of B's the list must show; "" when filtered by A's
	}{
		{"/v1/me", b.ID},
		{"/v1/advocates?limit=100", b.Jane},
		{"/v1/advocates?email=" + a.email("jane"), ""},
		{"/v1/advocates?code=" + a.JaneCode, ""},
		{"/v1/referrals?limit=100", b.Gail},
		{"/v1/referrals?advocate_id=" + a.Jane, ""},
		{"/v1/referrals?friend_email=" + a.email("fran"), ""},
		{"/v1/conversions?limit=100", b.Fran},
		{"/v1/conversions?advocate_id=" + a.Jane, ""},
		{"/v1/rewards?limit=100", b.Issued},
		{"/v1/rewards?code=" + a.Issued, ""},
		{"/v1/rewards?advocate_id=" + a.Kim, ""},
		{"/v1/near-misses?limit=100", b.NearMiss},
		{"/v1/events?limit=100", b.Jane},
		{"/v1/events?type=reward.redeemed", b.Redeemed},
		{"/v1/hooks?limit=100", b.Hook},
	} {
		t.Run("B lists "+tc.path, func(t *testing.T) {
			res := mustDo(t, b.Client, "GET", tc.path, nil, 200, nil)
			body := string(res.Body)
			for _, secret := range secrets {
				if strings.Contains(body, secret) {
					t.Errorf("B's answer shows A's %q: %s", secret, body)
				}
			}
			if tc.owned != "" && !strings.Contains(body, tc.owned) {
				t.Errorf("B's answer lacks B's own %q: %s", tc.owned, body)
			}
			if tc.owned == "" && !strings.Contains(body, `"data":[]`) {
				t.Errorf("B's answer filtered by A's data is not empty: %s", body)
			}
		})
	}

	// B's payments and refunds never touch A: A's friend paying at B is a stranger to B, A's
	// code means nothing at B, and B's invoice ids are B's own even when A has the same.
	t.Run("A's friend pays at B", func(t *testing.T) {
		for _, payment := range []map[string]any{
			{"invoice_id": "INV-B-1", "email": a.email("gail"), "amount": 250},
			{"invoice_id": "INV-B-2", "email": a.email("fran"), "name": "Fran Fields", "amount": "250.00"},
			{"invoice_id": "INV-B-3", "email": "newbie@b.example", "name": "Newt Bie", "amount": 90, "referral_code": a.JaneCode},
			{"invoice_id": "INV-B-4", "email": "other@b.example", "name": "Otto Other", "amount": 90, "referral_code": strings.ToLower(a.Issued)},
		} {
			var res struct {
				Outcome string `json:"outcome"`
				Matched bool   `json:"matched"`
			}
			mustDo(t, b.Client, "POST", "/v1/conversions", payment, 200, &res)
			if res.Outcome != "no_match" || res.Matched {
				t.Errorf("%v at B: %+v, want no_match", payment, res)
			}
		}
		var rev struct {
			Outcome    string `json:"outcome"`
			Conversion struct {
				ReferralID string `json:"referral_id"`
			} `json:"conversion"`
		}
		mustDo(t, b.Client, "POST", "/v1/conversions/reverse", map[string]any{"invoice_id": "INV-2", "refund_id": "R-1"}, 200, &rev)
		if rev.Outcome != "reversed" || rev.Conversion.ReferralID == "" || strings.Contains(rev.Conversion.ReferralID, a.Fran) {
			t.Errorf("B's refund of its INV-2: %+v, want B's own conversion reversed", rev)
		}
		// B's INV-4 converts B's Gail; A's INV-4, the same number, still converts A's friend below.
		mustDo(t, b.Client, "POST", "/v1/conversions/manual", map[string]any{"referral_id": b.Gail, "invoice_id": "INV-4"}, 201, nil)
	})

	t.Run("A is untouched and still works", func(t *testing.T) {
		assertSameRows(t, aBefore, rowsOf(s.rows(t), a.ID))
		mustDo(t, a.Client, "POST", "/v1/rewards/"+a.Issued+"/redeem", nil, 200, nil)
		mustDo(t, a.Client, "POST", "/v1/near-misses/"+a.NearMiss+"/confirm", nil, 201, nil)
		var jane struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		}
		mustDo(t, a.Client, "GET", "/v1/advocates/"+a.Jane, nil, 200, &jane)
		if jane.Name != "Jane Avery" || jane.Status != "active" {
			t.Errorf("A's advocate is now %+v", jane)
		}
	})
}

// rowsOf keeps the rows of one practice: its own row and those carrying its practice_id.
func rowsOf(all map[string][]string, practiceID string) map[string][]string {
	out := map[string][]string{}
	for table, rows := range all {
		for _, r := range rows {
			if strings.Contains(r, "practice_id="+practiceID+" ") || strings.HasPrefix(r, "id="+practiceID+" ") {
				out[table] = append(out[table], r)
			}
		}
	}
	return out
}

func lastSegment(path string) string {
	parts := strings.Split(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(path, "/redeem"), "/confirm"), "/dismiss"), "/")
	return parts[len(parts)-1]
}
