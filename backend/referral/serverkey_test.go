package referral_test

import (
	"bytes"
	"testing"
)

// Servers starting together make one key between them, and keep it: every server signs with
// the same key, and a key once made never changes.
func TestServerKeyIsMadeOnceAndShared(t *testing.T) {
	t.Parallel()
	s, _ := mustIsolatedService(t)
	keys := make([][]byte, 8)
	for _, err := range concurrently(len(keys), func(i int) (err error) {
		keys[i], err = s.ServerKey(t.Context(), "forms")
		return err
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range keys {
		if len(k) < 32 || !bytes.Equal(k, keys[0]) {
			t.Fatalf("keys %q: want one key of at least 32 characters", keys)
		}
	}
	again, err := s.ServerKey(t.Context(), "forms")
	if err != nil || !bytes.Equal(again, keys[0]) {
		t.Fatalf("asked again: %q, %v; want %q", again, err, keys[0])
	}
	other, err := s.ServerKey(t.Context(), "another purpose")
	if err != nil || bytes.Equal(other, keys[0]) {
		t.Fatalf("another name's key: %q, %v; want a key of its own", other, err)
	}
}
