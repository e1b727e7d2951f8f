package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/advocateloop/advocateloop/backend/cmd/bench/load"
)

// caller sends one API request with a practice's key: to a server over HTTP, or to the app's
// handler in this process (for SQLite, whose statements only show in this process).
type caller func(ctx context.Context, path string, body []byte) (int, []byte, error)

func httpCaller(c *load.Client) caller {
	return func(ctx context.Context, path string, body []byte) (int, []byte, error) {
		return c.Do(ctx, load.Request{Path: path, Body: body})
	}
}

func handlerCaller(h http.Handler, key string) caller {
	return func(ctx context.Context, path string, body []byte) (int, []byte, error) {
		r := httptest.NewRequestWithContext(ctx, http.MethodPost, path, strings.NewReader(string(body)))
		r.Header.Set("Authorization", "Bearer "+key)
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code, w.Body.Bytes(), nil
	}
}

// post sends body and decodes a 2xx answer into out.
func (call caller) post(ctx context.Context, path string, body any, out any) error {
	status, answer, err := call(ctx, path, mustJSON(body))
	if err != nil {
		return fmt.Errorf("bench: POST %s: %w", path, err)
	}
	if status/100 != 2 {
		return fmt.Errorf("bench: POST %s answered %d: %s", path, status, answer)
	}
	return json.Unmarshal(answer, out)
}

// makeTemplates makes, through the API, the rows the seed copies for practice p: an advocate
// and a pending referral, and with history also a converted referral with its payment,
// conversion and reward.
func makeTemplates(ctx context.Context, call caller, db *sql.DB, postgres bool, p practice, history bool) (templates, error) {
	t := templates{practice: p.ID}
	friend := func(label string) (advocate, referral string, err error) {
		var a, r struct {
			ID string `json:"id"`
		}
		err = call.post(ctx, "/v1/advocates", map[string]string{"name": "Template Advocate",
			"email": "template-" + label + "@bench.example"}, &a)
		if err != nil {
			return "", "", err
		}
		err = call.post(ctx, "/v1/referrals", map[string]string{"advocate_id": a.ID, "friend_name": "Template Friend",
			"friend_email": "template-friend-" + label + "@bench.example"}, &r)
		return a.ID, r.ID, err
	}
	var err error
	if t.advocate, t.referral, err = friend("pending"); err != nil || !history {
		return t, err
	}
	if _, t.convertedReferral, err = friend("converted"); err != nil {
		return t, err
	}
	var res struct {
		Conversion struct {
			ID     string `json:"id"`
			Reward struct {
				ID string `json:"id"`
			} `json:"reward"`
		} `json:"conversion"`
	}
	err = call.post(ctx, "/v1/conversions", map[string]string{"invoice_id": "INV-TEMPLATE",
		"email": "template-friend-converted@bench.example", "amount": "250.00"}, &res)
	if err != nil {
		return t, err
	}
	t.conversion, t.reward = res.Conversion.ID, res.Conversion.Reward.ID
	q := "SELECT id FROM payments WHERE practice_id = $1 AND invoice_id = 'INV-TEMPLATE'"
	if !postgres {
		q = strings.Replace(q, "$1", "?", 1)
	}
	if err := db.QueryRowContext(ctx, q, p.ID).Scan(&t.payment); err != nil {
		return t, fmt.Errorf("bench: the template payment: %w", err)
	}
	if t.conversion == "" || t.reward == "" {
		return t, fmt.Errorf("bench: the template conversion has no reward: %+v", res)
	}
	return t, nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("bench: " + err.Error())
	}
	return b
}
