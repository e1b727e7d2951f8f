package app_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/advocateloop/advocateloop/backend/apitest"
)

// program is a practice with one of everything, made through the API: what bad requests and
// other practices' keys try to reach.
type program struct {
	*practice
	Domain            string // every email of the program is at this domain
	Jane, Kim, Dan    string // advocate ids: active, active, disabled
	JaneCode, DanCode string
	Fran, Gail        string // referral ids by Jane: converted, pending
	Issued, Redeemed  string // reward codes
	Voided            string // reward code voided by a refund
	NearMiss          string // a payer named like Gail, with another email
	Hook              string // set by the tests that subscribe one (see mustHook)
}

// email is an address at the program's domain.
func (pr *program) email(user string) string { return user + "@" + pr.Domain }

func mustProgram(tb testing.TB, s *server, name, domain string) *program {
	tb.Helper()
	pr := &program{practice: s.mustPractice(tb, name), Domain: domain}
	c := pr.Client

	var adv struct {
		ID   string `json:"id"`
		Code string `json:"referral_code"`
	}
	mustDo(tb, c, "POST", "/v1/advocates", map[string]any{"name": "Jane Avery", "email": pr.email("jane")}, 201, &adv)
	pr.Jane, pr.JaneCode = adv.ID, adv.Code
	mustDo(tb, c, "POST", "/v1/advocates", map[string]any{"name": "Kim Kerr", "email": pr.email("kim")}, 201, &adv)
	pr.Kim = adv.ID
	mustDo(tb, c, "POST", "/v1/advocates", map[string]any{"name": "Dan Dorsey", "email": pr.email("dan")}, 201, &adv)
	pr.Dan, pr.DanCode = adv.ID, adv.Code
	mustDo(tb, c, "PATCH", "/v1/advocates/"+pr.Dan, map[string]any{"status": "disabled"}, 200, nil)

	var ref struct {
		ID string `json:"id"`
	}
	mustDo(tb, c, "POST", "/v1/referrals", map[string]any{"advocate_id": pr.Jane, "friend_name": "Fran Fields", "friend_email": pr.email("fran")}, 201, &ref)
	pr.Fran = ref.ID
	mustDo(tb, c, "POST", "/v1/referrals", map[string]any{"advocate_id": pr.Jane, "friend_name": "Gail Green", "friend_email": pr.email("gail")}, 201, &ref)
	pr.Gail = ref.ID
	mustDo(tb, c, "POST", "/v1/referrals", map[string]any{"referral_code": pr.JaneCode, "friend_name": "Hal Hayes", "friend_email": pr.email("hal")}, 201, nil)
	mustDo(tb, c, "POST", "/v1/referrals", map[string]any{"advocate_id": pr.Kim, "friend_name": "Ivy Irwin", "friend_email": pr.email("ivy")}, 201, nil)

	var res struct {
		Conversion struct {
			Reward struct {
				Code string `json:"code"`
			} `json:"reward"`
		} `json:"conversion"`
	}
	mustDo(tb, c, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-1", "email": pr.email("fran"), "amount": "250.00"}, 201, &res)
	pr.Redeemed = res.Conversion.Reward.Code
	mustDo(tb, c, "POST", "/v1/rewards/"+pr.Redeemed+"/redeem", nil, 200, nil)
	mustDo(tb, c, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-2", "email": pr.email("hal"), "amount": 120}, 201, &res)
	pr.Issued = res.Conversion.Reward.Code
	mustDo(tb, c, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-3", "email": pr.email("ivy"), "amount": 99.5}, 201, &res)
	pr.Voided = res.Conversion.Reward.Code
	mustDo(tb, c, "POST", "/v1/conversions/reverse", map[string]any{"invoice_id": "INV-3"}, 200, nil)

	var nm struct {
		Outcome string `json:"outcome"`
	}
	mustDo(tb, c, "POST", "/v1/conversions", map[string]any{"invoice_id": "INV-4", "email": pr.email("g.green"),
		"first_name": "Gail", "last_name": "Green", "amount": 80}, 200, &nm)
	if nm.Outcome != "near_miss" {
		tb.Fatalf("%s: Gail's look-alike payment is %q, want near_miss", name, nm.Outcome)
	}
	var nms struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	mustDo(tb, c, "GET", "/v1/near-misses", nil, 200, &nms)
	if len(nms.Data) != 1 {
		tb.Fatalf("%s: %d near-misses, want 1", name, len(nms.Data))
	}
	pr.NearMiss = nms.Data[0].ID
	return pr
}

// mustDo sends body as JSON (none when nil), wants the status and decodes the answer into v
// (when not nil).
func mustDo(tb testing.TB, c *apitest.Client, method, path string, body any, status int, v any) *apitest.Response {
	tb.Helper()
	res := c.For(tb).Do(method, path, body)
	if res.Status != status {
		tb.Fatalf("%s %s: %d, want %d\n\tbody: %s", method, path, res.Status, status, res.Body)
	}
	if v != nil {
		res.JSON(tb, v)
	}
	return res
}

// mustHook subscribes a hook to an event type that the test will not cause again, so that no
// delivery is ever attempted: the target is a documentation address (TEST-NET-3).
func mustHook(tb testing.TB, c *apitest.Client, event string) string {
	tb.Helper()
	var hook struct {
		ID string `json:"id"`
	}
	mustDo(tb, c, "POST", "/v1/hooks", map[string]any{"event": event, "target_url": "https://203.0.113.10/hooks/" + event}, 201, &hook)
	return hook.ID
}

// assertSameRows fails when any table differs between two snapshots of s.rows, naming the
// rows that appeared and those that went away.
func assertSameRows(tb testing.TB, before, after map[string][]string) {
	tb.Helper()
	names := make([]string, 0, len(after))
	for table := range after {
		names = append(names, table)
	}
	sort.Strings(names)
	for _, table := range names {
		gone, added := diffRows(before[table], after[table])
		if len(gone)+len(added) == 0 {
			continue
		}
		var b strings.Builder
		for _, r := range gone {
			fmt.Fprintf(&b, "\n\t- %s", r)
		}
		for _, r := range added {
			fmt.Fprintf(&b, "\n\t+ %s", r)
		}
		tb.Errorf("table %s changed:%s", table, b.String())
	}
}

func diffRows(before, after []string) (gone, added []string) {
	count := map[string]int{}
	for _, r := range before {
		count[r]++
	}
	for _, r := range after {
		count[r]--
	}
	for r, n := range count {
		for ; n > 0; n-- {
			gone = append(gone, r)
		}
		for ; n < 0; n++ {
			added = append(added, r)
		}
	}
	sort.Strings(gone)
	sort.Strings(added)
	return gone, added
}
