package referral

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oklog/ulid/v2"
)

// codeAlphabet has no look-alikes (0/O, 1/I/L), so a code read aloud at the desk is typed right.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomString draws n characters from alphabet with crypto/rand, each equally likely.
func randomString(alphabet string, n int) string {
	out := make([]byte, n)
	buf := make([]byte, 1)
	limit := 256 - 256%len(alphabet) // reject bytes that would bias the low characters
	for i := 0; i < n; {
		rand.Read(buf)
		if int(buf[0]) >= limit {
			continue
		}
		out[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(out)
}

// NewReferralCode is an advocate's personal code: 8 characters, unambiguous.
func NewReferralCode() string { return randomString(codeAlphabet, 8) }

// NewRewardCode is a single-use discount code.
func NewRewardCode() string { return "AL-" + randomString(codeAlphabet, 8) }

// NormalizeCode makes codes case-insensitive on input; like NormalizeEmail, it leaves bytes
// that are not UTF-8 as they came.
func NormalizeCode(s string) string {
	if !utf8.ValidString(s) {
		return s
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

// NewAPIKey returns a key to show once, and the hash that is all we keep of it.
func NewAPIKey() (key, hash string) {
	key = "al_live_" + randomString(base62, 32)
	return key, HashSecret(key)
}

// HashSecret is how API keys and one-time tokens are stored: SHA-256, hex.
func HashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// NewWebhookSecret is a Standard Webhooks signing secret.
func NewWebhookSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// NewToken is an opaque one-time token, e.g. for the admin set-up link.
func NewToken() string { return randomString(base62, 40) }

// NewID returns a prefixed, time-ordered id such as adv_01JD3Q6Z8K2V7T9X4M5N6P7R8S; ordering by
// id is ordering by creation, which is what cursor pagination needs.
func NewID(prefix string, now time.Time) string {
	return prefix + "_" + ulid.MustNew(ulid.Timestamp(now), ulid.DefaultEntropy()).String()
}

// IsID reports whether s is shaped like the ids NewID makes with prefix, so that a value from a
// URL that cannot name anything is turned away before it reaches a query.
func IsID(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix+"_")
	if !ok {
		return false
	}
	_, err := ulid.ParseStrict(rest)
	return err == nil
}

// insertWithCode retries an insert whose random code collided with an existing one. A few
// tries suffice: a collision is about one in 31^8 while a practice has few codes.
func insertWithCode(insert func() (bool, error)) error {
	for range 5 {
		if ok, err := insert(); err != nil || ok {
			return err
		}
	}
	return errors.New("referral: no free code after 5 tries")
}
