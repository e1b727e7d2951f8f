package referral_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// unambiguous is the alphabet codes are drawn from: no 0/O, 1/I/L.
const unambiguous = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func TestReferralAndRewardCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		new    func() string
		prefix string
	}{
		{"referral code", referral.NewReferralCode, ""},
		{"reward code", referral.NewRewardCode, "AL-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := map[string]bool{}
			used := map[rune]bool{}
			for range 2000 {
				code := tc.new()
				body, ok := strings.CutPrefix(code, tc.prefix)
				if !ok || len(body) != 8 {
					t.Fatalf("code %q, want %q + 8 characters", code, tc.prefix)
				}
				for _, r := range body {
					if !strings.ContainsRune(unambiguous, r) {
						t.Fatalf("code %q has %q, outside the unambiguous alphabet", code, r)
					}
					used[r] = true
				}
				if seen[code] {
					t.Fatalf("code %q drawn twice", code)
				}
				seen[code] = true
			}
			// 16,000 draws from 31 characters use every one of them.
			if len(used) != len(unambiguous) {
				t.Errorf("%d characters used, want all %d", len(used), len(unambiguous))
			}
		})
	}
	for _, ambiguous := range "0O1IL" {
		if strings.ContainsRune(unambiguous, ambiguous) {
			t.Errorf("alphabet has look-alike %q", ambiguous)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"abcd2345":       "ABCD2345",
		"  al-xyz23456 ": "AL-XYZ23456",
		"ABCD2345":       "ABCD2345",
		"":               "",
	} {
		if got := referral.NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"  Jane.Park@Example.COM\t": "jane.park@example.com",
		"jane@example.com":          "jane@example.com",
		"\nJANE@EXAMPLE.COM \r":     "jane@example.com",
	} {
		if got := referral.NormalizeEmail(in); got != want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

var apiKey = regexp.MustCompile(`^al_live_[0-9A-Za-z]{32}$`)

func TestNewAPIKey(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		key, hash := referral.NewAPIKey()
		if !apiKey.MatchString(key) {
			t.Fatalf("key %q, want al_live_ + 32 base62 characters", key)
		}
		sum := sha256.Sum256([]byte(key))
		if hash != hex.EncodeToString(sum[:]) || hash != referral.HashSecret(key) {
			t.Fatalf("hash %q is not the SHA-256 of the key", hash)
		}
		if strings.Contains(hash, key[8:]) {
			t.Fatalf("hash holds the key")
		}
		if seen[key] {
			t.Fatalf("key %q drawn twice", key)
		}
		seen[key] = true
	}
}

func TestNewWebhookSecret(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		secret := referral.NewWebhookSecret()
		b64, ok := strings.CutPrefix(secret, "whsec_")
		if !ok {
			t.Fatalf("secret %q, want the whsec_ prefix", secret)
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(raw) != 32 {
			t.Fatalf("secret %q: %d bytes, %v; want base64 of 32 bytes", secret, len(raw), err)
		}
		if seen[secret] {
			t.Fatalf("secret drawn twice")
		}
		seen[secret] = true
	}
}

func TestNewToken(t *testing.T) {
	t.Parallel()
	token := regexp.MustCompile(`^[0-9A-Za-z]{40}$`)
	if a, b := referral.NewToken(), referral.NewToken(); !token.MatchString(a) || a == b {
		t.Errorf("tokens %q, %q, want two different 40-character base62 strings", a, b)
	}
}

// Ids carry their kind and sort in creation order, which cursor pagination relies on.
func TestNewID(t *testing.T) {
	t.Parallel()
	id := regexp.MustCompile(`^adv_[0-9A-HJKMNP-TV-Z]{26}$`)
	var ids []string
	for i := range 100 {
		next := referral.NewID("adv", epoch.Add(time.Duration(i)*time.Millisecond))
		if !id.MatchString(next) {
			t.Fatalf("id %q, want adv_ + a ULID", next)
		}
		ids = append(ids, next)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("ids of increasing times are not sorted: %q", ids)
	}
	if a, b := referral.NewID("adv", epoch), referral.NewID("adv", epoch); a == b {
		t.Errorf("two ids at one instant are equal: %q", a)
	}
}
