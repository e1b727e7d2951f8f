package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
	"github.com/advocateloop/advocateloop/backend/referral"
)

// foreign is one way to reach another practice's thing: it sends the request with the other's
// value and with a made-up one, for the answers to be compared.
type foreign struct {
	what string
	// send makes the request with value v; fresh values keep each request apart.
	send   func(ctx context.Context, c *harness.Client, v string) *harness.Answer
	theirs func(h *holdings) string
	madeUp func() string
	// compare says how the two answers must agree: "status" (same status and problem type),
	// "empty" (both empty lists) or "outcome" (the same outcome field).
	compare string
}

func pick(values []string) string { return values[rand.IntN(len(values))] }

func madeID(prefix string) func() string {
	return func() string { return referral.NewID(prefix, time.Now()) }
}

func madeCode() string {
	const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	b := make([]byte, 8)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

func madeEmail() string { return "nobody-" + harness.NewKey()[6:14] + "@chaos.example" }

func get(path string) func(context.Context, *harness.Client, string) *harness.Answer {
	return func(ctx context.Context, c *harness.Client, v string) *harness.Answer {
		return c.Get(ctx, strings.ReplaceAll(path, "{v}", url.PathEscape(v)))
	}
}

func list(path string) func(context.Context, *harness.Client, string) *harness.Answer {
	return func(ctx context.Context, c *harness.Client, v string) *harness.Answer {
		return c.Get(ctx, path+url.QueryEscape(v))
	}
}

func postTo(path string, body func(v string) any) func(context.Context, *harness.Client, string) *harness.Answer {
	return func(ctx context.Context, c *harness.Client, v string) *harness.Answer {
		if body == nil {
			return c.Send(ctx, harness.Request{Method: http.MethodPost, Path: strings.ReplaceAll(path, "{v}", url.PathEscape(v))})
		}
		return c.PostJSON(ctx, strings.ReplaceAll(path, "{v}", url.PathEscape(v)), body(v))
	}
}

var foreignWays = []foreign{
	{"GET an advocate", get("/v1/advocates/{v}"), func(h *holdings) string { return pick(h.advocates) }, madeID("adv"), "status"},
	{"PATCH an advocate", func(ctx context.Context, c *harness.Client, v string) *harness.Answer {
		return c.Send(ctx, harness.Request{Method: http.MethodPatch, Path: "/v1/advocates/" + v, Body: mustJSON(map[string]string{"name": "Mallory", "status": "disabled"})})
	}, func(h *holdings) string { return pick(h.advocates) }, madeID("adv"), "status"},
	{"find an advocate by email", list("/v1/advocates?email="), func(h *holdings) string { return pick(h.emails) }, madeEmail, "empty"},
	{"find an advocate by code", list("/v1/advocates?code="), func(h *holdings) string { return pick(h.codes) }, madeCode, "empty"},
	{"list an advocate's referrals", list("/v1/referrals?advocate_id="), func(h *holdings) string { return pick(h.advocates) }, madeID("adv"), "empty"},
	{"find a referral by friend", list("/v1/referrals?friend_email="), func(h *holdings) string { return pick(h.emails) }, madeEmail, "empty"},
	{"list an advocate's conversions", list("/v1/conversions?advocate_id="), func(h *holdings) string { return pick(h.advocates) }, madeID("adv"), "empty"},
	{"list an advocate's rewards", list("/v1/rewards?advocate_id="), func(h *holdings) string { return pick(h.advocates) }, madeID("adv"), "empty"},
	{"find a reward by code", list("/v1/rewards?code="), func(h *holdings) string { return pick(h.rewards) }, func() string { return "AL-" + madeCode() }, "empty"},
	{"redeem a reward", postTo("/v1/rewards/{v}/redeem", nil), func(h *holdings) string { return pick(h.rewards) }, func() string { return "AL-" + madeCode() }, "status"},
	{"refer a friend to an advocate", postTo("/v1/referrals", func(v string) any {
		return map[string]string{"advocate_id": v, "friend_name": "Eve Intruder", "friend_email": madeEmail()}
	}), func(h *holdings) string { return pick(h.advocates) }, madeID("adv"), "status"},
	{"refer a friend by code", postTo("/v1/referrals", func(v string) any {
		return map[string]string{"referral_code": v, "friend_name": "Eve Intruder", "friend_email": madeEmail()}
	}), func(h *holdings) string { return pick(h.codes) }, madeCode, "status"},
	{"convert a referral by hand", postTo("/v1/conversions/manual", func(v string) any {
		return map[string]string{"referral_id": v}
	}), func(h *holdings) string { return h.pending }, madeID("ref"), "status"},
	{"pay as a referred friend", postTo("/v1/conversions", func(v string) any {
		return map[string]string{"invoice_id": "X-" + harness.NewKey()[6:18], "email": v, "name": "Eve Intruder", "amount": "200.00"}
	}), func(h *holdings) string { return h.friend }, madeEmail, "outcome"},
	{"pay with a referral code", postTo("/v1/conversions", func(v string) any {
		return map[string]string{"invoice_id": "X-" + harness.NewKey()[6:18], "email": madeEmail(), "referral_code": v, "amount": "200.00"}
	}), func(h *holdings) string { return pick(h.codes) }, madeCode, "outcome"},
	{"refund an invoice", postTo("/v1/conversions/reverse", func(v string) any {
		return map[string]string{"invoice_id": v, "refund_id": "RX-" + harness.NewKey()[6:18]}
	}), func(h *holdings) string { return pick(h.invoices) }, func() string { return "TEN-" + harness.NewKey()[6:12] }, "outcome"},
	{"delete a hook", func(ctx context.Context, c *harness.Client, v string) *harness.Answer {
		return c.Send(ctx, harness.Request{Method: http.MethodDelete, Path: "/v1/hooks/" + v})
	}, func(h *holdings) string { return pick(h.hooks) }, madeID("hk"), "status"},
	{"confirm a near-miss", postTo("/v1/near-misses/{v}/confirm", nil), func(h *holdings) string { return h.nearMiss }, madeID("nms"), "status"},
	{"dismiss a near-miss", postTo("/v1/near-misses/{v}/dismiss", nil), func(h *holdings) string { return h.nearMiss }, madeID("nms"), "status"},
}
