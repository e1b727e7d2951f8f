package referral

import (
	"context"
	"time"
)

// FirstRunTokenLifetime bounds how long the /setup link that `serve` prints works; a server
// started again prints a new one.
const FirstRunTokenLifetime = 24 * time.Hour

// NewFirstRunToken makes a one-time token for /setup while the installation has no practice,
// and "" once it has one: a stranger who finds the server cannot claim it.
func (s *Service) NewFirstRunToken(ctx context.Context) (string, error) {
	token := ""
	err := s.inTx(ctx, func(tx Tx) error {
		n, err := tx.CountPractices()
		if err != nil || n > 0 {
			return err
		}
		token = NewToken()
		now := s.Now()
		return tx.InsertFirstRunToken(HashSecret(token), now, now.Add(FirstRunTokenLifetime))
	})
	return token, err
}

// CheckFirstRunToken answers ENotFound unless token may still create the first practice.
func (s *Service) CheckFirstRunToken(ctx context.Context, token string) error {
	var ok bool
	err := s.inTx(ctx, func(tx Tx) (err error) {
		ok, err = tx.FirstRunTokenValid(HashSecret(token), s.Now())
		return err
	})
	if err == nil && !ok {
		err = errFirstRunToken()
	}
	return err
}

func errFirstRunToken() error {
	return Errorf(ENotFound, "This set-up link is used, expired or wrong. Start the server again for a new one.")
}

// CreateFirstPractice is /setup: it creates the installation's first practice, using up
// token in the same transaction, and no API key (the admin makes one when connecting Zapier,
// and sees it then).
func (s *Service) CreateFirstPractice(ctx context.Context, token string, in NewPractice) (*Practice, *PracticeSecrets, error) {
	return s.createPractice(ctx, in, false, func(tx Tx) error {
		n, err := tx.CountPractices()
		if err != nil {
			return err
		}
		ok, err := tx.ClaimFirstRunToken(HashSecret(token), s.Now())
		if err == nil && (!ok || n > 0) {
			err = errFirstRunToken()
		}
		return err
	})
}
