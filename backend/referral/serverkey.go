package referral

import (
	"context"
	"fmt"
)

// ServerKey is the secret called name that every server on this database shares, such as the
// key signing forms before sign-in: a token one server issues, any other accepts. The first
// server to ask makes it; one racing it finds the key that won.
func (s *Service) ServerKey(ctx context.Context, name string) ([]byte, error) {
	var secret string
	err := s.inTx(ctx, func(tx Tx) error {
		found, err := tx.ServerKey(name)
		if err != nil || found != "" {
			secret = found
			return err
		}
		made := NewToken()
		inserted, err := tx.InsertServerKey(name, made, s.Now())
		if err != nil {
			return err
		}
		if inserted {
			secret = made
			return nil
		}
		if secret, err = tx.ServerKey(name); err == nil && secret == "" {
			err = fmt.Errorf("referral: server key %q was neither made nor found", name)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return []byte(secret), nil
}
