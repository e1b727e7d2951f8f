package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
)

// Good answers to the payments the bench sends.
func converted(status int, body []byte) bool {
	return status == http.StatusCreated && bytes.Contains(body, []byte(`"outcome":"converted"`))
}

func noMatch(status int, body []byte) bool {
	return status == http.StatusOK && bytes.Contains(body, []byte(`"outcome":"no_match"`))
}

func convertedOrReplayed(status int, body []byte) bool {
	return status/100 == 2 && bytes.Contains(body, []byte(`"outcome":"converted"`))
}

func replayed(status int, body []byte) bool {
	return status == http.StatusOK && bytes.Contains(body, []byte(`"replayed":true`))
}

func answered(status int, _ []byte) bool { return status/100 == 2 }

// sendExpecting sends one payment and checks the answer.
func sendExpecting(ctx context.Context, call caller, body []byte, good func(int, []byte) bool) error {
	status, answer, err := call(ctx, "/v1/conversions", body)
	if err != nil {
		return err
	}
	if !good(status, answer) {
		return fmt.Errorf("bench: POST /v1/conversions %s answered %d: %.300s", body, status, answer)
	}
	return nil
}

// capturing is the friends (a pool of 5) and payers (5 numbers) a capture uses.
type capturing struct{ friends, payers int64 }

func (s *seeder) capturing(ctx context.Context, t templates) (capturing, error) {
	friends, err := s.pool(ctx, t, 5)
	return capturing{friends: friends, payers: s.alloc(5)}, err
}

// captureConversions sends a few warm-up payments (so caches and prepared statements are as
// in a server that has been running), then captures two matched conversions and two
// unmatched payers with a name, through call; record captures the database's side.
func captureConversions(ctx context.Context, record recorder, call caller, c capturing) (matchedCap, unmatchedCap *captured, err error) {
	friends, payers := c.friends, c.payers
	for i := range int64(3) {
		if err := sendExpecting(ctx, call, matched(friends+i), converted); err != nil {
			return nil, nil, err
		}
		if err := sendExpecting(ctx, call, unmatched(payers+i), noMatch); err != nil {
			return nil, nil, err
		}
	}
	matchedCap, err = captureTwice("matched", record, func(n int64) error {
		return sendExpecting(ctx, call, matched(n), converted)
	}, friends+3, friends+4)
	if err != nil {
		return nil, nil, err
	}
	unmatchedCap, err = captureTwice("unmatched", record, func(n int64) error {
		return sendExpecting(ctx, call, unmatched(n), noMatch)
	}, payers+3, payers+4)
	return matchedCap, unmatchedCap, err
}
