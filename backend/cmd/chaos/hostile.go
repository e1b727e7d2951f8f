package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// hostileInput sends every endpoint and public form what no honest client sends: NUL bytes,
// bytes that are not UTF-8, 10,000-deep JSON, huge numbers, duplicate keys, wrong types, huge
// headers and bodies, on PostgreSQL and on SQLite. The API must refuse each with a 4xx
// problem and write nothing; no form may answer 5xx or store such bytes.
func hostileInput(ctx context.Context, e *env, t *harness.Tally) error {
	for _, engine := range []options{{}, {sqliteDir: filepath.Join(e.work, "hostile-sqlite")}} {
		if err := hostileOn(ctx, e, t, engine); err != nil {
			return err
		}
	}
	return nil
}

func hostileOn(ctx context.Context, e *env, t *harness.Tally, o options) error {
	if o.sqliteDir != "" {
		if err := os.MkdirAll(o.sqliteDir, 0o755); err != nil {
			return err
		}
	}
	s, err := e.stack(ctx, t, o)
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	c := s.client(0)
	defer c.Close()
	base, err := seedOne(ctx, c)
	if err != nil {
		return err
	}
	p := s.practices[0]
	before, err := digest(ctx, s.db)
	if err != nil {
		return err
	}
	var attacks []attack
	for _, ep := range endpoints(base, p.Slug, s.webhookPath(ctx, p.ID, "payments"), s.webhookPath(ctx, p.ID, "refunds")) {
		attacks = append(attacks, ep.attacks(p.WebhookSecret)...)
	}
	attacks = append(attacks, requestAttacks(base)...)
	parallel(ctx, 4, len(attacks), func(i int) {
		a := attacks[i]
		got := c.Once(ctx, a.req)
		if a.req.Kind == harness.API && got.OK() {
			t.Fail("the API took hostile input with %d: %s", got.Status, a.name)
		}
	})
	if after, err := digest(ctx, s.db); err != nil {
		return err
	} else if after != before {
		t.Fail("hostile input to the API wrote to the database")
		t.Note("what hostile input wrote on %s: %s", engineName(o), diff(before, after))
	}

	forms := formAttacks(p.Slug, base.code)
	parallel(ctx, 4, len(forms), func(i int) { c.WithKey("").Once(ctx, forms[i].req) })
	raw := rawAttacks(p.APIKey)
	for _, r := range raw {
		c.Raw(ctx, r.name, r.bytes, harness.Raw)
	}
	return cleanText(ctx, s.db, t)
}

func engineName(o options) string {
	if o.sqliteDir != "" {
		return "SQLite"
	}
	return "PostgreSQL"
}

// base are the practice's real ids the attacks use, so that only the attack is wrong.
type base struct{ advocate, code, referral string }

func seedOne(ctx context.Context, c *harness.Client) (base, error) {
	var adv struct {
		ID   string `json:"id"`
		Code string `json:"referral_code"`
	}
	a := c.PostJSON(ctx, "/v1/advocates", map[string]string{"name": "Base Advocate", "email": "base-" + harness.NewKey()[6:12] + "@chaos.example"})
	if !a.OK() || a.Decode(&adv) != nil {
		return base{}, fmt.Errorf("chaos: seeding an advocate answered %s", a)
	}
	var ref struct{ ID string }
	a = c.PostJSON(ctx, "/v1/referrals", map[string]string{"advocate_id": adv.ID, "friend_name": "Base Friend",
		"friend_email": "base-friend-" + harness.NewKey()[6:12] + "@chaos.example"})
	if !a.OK() || a.Decode(&ref) != nil {
		return base{}, fmt.Errorf("chaos: seeding a referral answered %s", a)
	}
	return base{advocate: adv.ID, code: adv.Code, referral: ref.ID}, nil
}

// shortened is a path cut for a report.
func shortened(path string) string {
	if len(path) > 60 {
		return path[:50] + "…"
	}
	return path
}

// shape replaces ids in a path by a placeholder, for reports.
func shape(path string) string {
	path, _, _ = strings.Cut(path, "?")
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if len(p) > 20 || strings.Contains(p, "_0") {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}
