package referral

import (
	"context"
	"time"
)

// PasswordResetLifetime bounds how long a password reset link works: it is asked for now, and
// whoever reads the inbox later should find it dead.
const PasswordResetLifetime = time.Hour

// PasswordResetRequest is someone on the sign-in page who forgot their password.
type PasswordResetRequest struct {
	Email string `json:"email" validate:"required,max=254,email"`
}

// RequestPasswordReset emails a one-time link to set a new password to each account with this
// email that has a password, in every practice; a new link kills the one before. An invited
// colleague who never set one asks their admin to invite them again. The form answers the same
// whoever typed what, and an address that has had MessagesPerHour gets nothing more for now.
func (s *Service) RequestPasswordReset(ctx context.Context, in PasswordResetRequest) error {
	in.Email = NormalizeEmail(in.Email)
	if err := check(in); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		accounts, err := tx.StaffByEmail(in.Email)
		if err != nil {
			return err
		}
		for i := range accounts {
			if err := s.emailReset(tx, &accounts[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Service) emailReset(tx Tx, st *Staff) error {
	if st.PasswordHash == "" {
		return nil
	}
	p, err := tx.PracticeByID(st.PracticeID)
	if err != nil || p == nil {
		return err
	}
	if ok, err := s.formMessageAllowed(tx, p, st.Email); err != nil || !ok {
		return err
	}
	token, now := NewToken(), s.Now()
	st.SetupTokenHash, st.SetupExpiresAt = HashSecret(token), now.Add(PasswordResetLifetime)
	if err := tx.UpdateStaff(st); err != nil {
		return err
	}
	return s.queueMessage(tx, p, PasswordReset, NewID("reset", now), st.Email, Letter{SignInURL: s.SetPasswordURL(token)})
}
