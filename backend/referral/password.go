package referral

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// MinPasswordLength is the shortest password staff may choose.
const MinPasswordLength = 10

// Argon2id parameters: OWASP's 19 MiB, two passes, one lane — slow for a guesser, quick
// enough for a sign-in.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashPassword returns an argon2id hash in the usual $argon2id$v=19$m=…,t=…,p=…$salt$key form.
func hashPassword(password string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// passwordMatches checks a password against a hash made by hashPassword, with the
// parameters stored in the hash, so they can be raised later without locking anyone out.
func passwordMatches(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// CheckPassword refuses a password too short (or absurdly long) to set.
func CheckPassword(password, confirm string) error {
	switch {
	case len([]rune(password)) < MinPasswordLength:
		return InvalidField("password", fmt.Sprintf("must be at least %d characters", MinPasswordLength))
	case len(password) > 200:
		return InvalidField("password", "must be at most 200 characters")
	case password != confirm:
		return InvalidField("confirm_password", "does not match the password")
	}
	return nil
}
