package referral

import (
	"context"
	"time"
)

// Session lifetimes: a session ends after SessionIdle without use, and SessionMax after sign-in
// whatever happens.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 7 * 24 * time.Hour
)

// Lock-out: LoginAttempts failures for one email from one client within LoginWindow lock that
// email, from that client, for LoginWindow. Its owner elsewhere still signs in: a stranger who
// knows the email can lock out no one but themselves.
const (
	LoginAttempts = 5
	LoginWindow   = 15 * time.Minute
)

// ELocked is a sign-in refused because of too many recent failures.
const ELocked = "locked"

// Session is a signed-in staff member; only the hash of its token is kept.
type Session struct {
	Hash       string
	PracticeID string
	StaffID    string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SignedIn is what a valid session gives a request: who, and for which practice.
type SignedIn struct {
	Staff    *Staff
	Practice *Practice
}

// SignIn checks an email and password and starts a session, returning its token. A wrong
// email and a wrong password are the same error, so the form tells no one who has an account.
// client names where the attempt comes from (the client's address), for the lock-out.
func (s *Service) SignIn(ctx context.Context, email, password, client string) (string, error) {
	if !IsText(email) { // no account has such an email, and PostgreSQL cannot look for it
		return "", Errorf(EUnauthorized, "Email or password is wrong.")
	}
	email = NormalizeEmail(email)
	key := HashSecret("login:" + email + "\x00" + client)
	now := s.Now()
	var locked bool
	var accounts []Staff
	err := s.inTx(ctx, func(tx Tx) error {
		n, err := tx.CountLoginFailures(key, now.Add(-LoginWindow))
		if err != nil {
			return err
		}
		locked = n >= LoginAttempts
		accounts, err = tx.StaffByEmail(email)
		return err
	})
	if err != nil {
		return "", err
	}
	if locked {
		return "", Errorf(ELocked, "Too many attempts to sign in with this email from your connection. Wait 15 minutes, then try again.")
	}
	var who *Staff
	for i := range accounts {
		if accounts[i].PasswordHash != "" && passwordMatches(accounts[i].PasswordHash, password) {
			who = &accounts[i]
			break
		}
	}
	if who == nil {
		// Hash anyway when no account has a password, so timing does not tell who exists.
		if len(accounts) == 0 {
			passwordMatches(dummyHash, password)
		}
		err := s.inTx(ctx, func(tx Tx) error { return tx.InsertLoginFailure(key, now) })
		if err != nil {
			return "", err
		}
		return "", Errorf(EUnauthorized, "Email or password is wrong.")
	}
	if err := s.inTx(ctx, func(tx Tx) error { return tx.ClearLoginFailures(key) }); err != nil {
		return "", err
	}
	return s.StartSession(ctx, who)
}

var dummyHash = hashPassword("not anyone's password")

// StartSession signs a staff member in and returns the session's token for the cookie.
func (s *Service) StartSession(ctx context.Context, st *Staff) (string, error) {
	token, now := NewToken(), s.Now()
	sess := &Session{Hash: HashSecret(token), PracticeID: st.PracticeID, StaffID: st.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionMax)}
	if err := s.inTx(ctx, func(tx Tx) error { return tx.InsertSession(sess) }); err != nil {
		return "", err
	}
	return token, nil
}

// Session finds who a session token belongs to and keeps the session alive; an expired or
// unknown token answers nil, and an expired session is deleted.
func (s *Service) Session(ctx context.Context, token string) (*SignedIn, error) {
	if token == "" {
		return nil, nil
	}
	hash, now := HashSecret(token), s.Now()
	var out *SignedIn
	err := s.inTx(ctx, func(tx Tx) error {
		sess, err := tx.SessionByHash(hash)
		if err != nil || sess == nil {
			return err
		}
		if !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(SessionIdle)) {
			return tx.DeleteSession(hash)
		}
		st, err := tx.StaffByID(sess.PracticeID, sess.StaffID)
		if err != nil || st == nil {
			return err
		}
		p, err := tx.PracticeByID(sess.PracticeID)
		if err != nil || p == nil {
			return err
		}
		// Refreshing at most once a minute spares a write on every page.
		if now.Sub(sess.LastSeenAt) > time.Minute {
			sess.LastSeenAt = now
			if err := tx.UpdateSession(sess); err != nil {
				return err
			}
		}
		out = &SignedIn{Staff: st, Practice: p}
		return nil
	})
	return out, err
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.inTx(ctx, func(tx Tx) error { return tx.DeleteSession(HashSecret(token)) })
}
