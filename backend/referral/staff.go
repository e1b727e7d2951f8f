package referral

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Staff roles: an admin runs the program; the front desk works with patients.
const (
	Admin     = "admin"
	FrontDesk = "front_desk"
)

// Staff is a person who signs in to the dashboard.
type Staff struct {
	ID             string
	PracticeID     string
	Email          string
	Role           string // Admin or FrontDesk
	PasswordHash   string
	SetupTokenHash string
	SetupExpiresAt time.Time
	CreatedAt      time.Time
}

// NewStaff is an admin inviting a colleague.
type NewStaff struct {
	Email string `json:"email" validate:"required,max=254,email"`
	Role  string `json:"role" validate:"required,oneof=admin front_desk"`
}

// SetPassword sets the password of the account a one-time set-up or reset link belongs to,
// spends the link and ends every session of the account: whoever knew the old password is out.
func (s *Service) SetPassword(ctx context.Context, token, password, confirm string) (*Staff, error) {
	if err := CheckPassword(password, confirm); err != nil {
		return nil, err
	}
	hash := hashPassword(password)
	var st *Staff
	err := s.inTx(ctx, func(tx Tx) (err error) {
		if st, err = s.staffBySetupToken(tx, token); err != nil || st == nil {
			return err
		}
		st.PasswordHash, st.SetupTokenHash = hash, ""
		if err := tx.UpdateStaff(st); err != nil {
			return err
		}
		return tx.DeleteStaffSessions(st.PracticeID, st.ID)
	})
	if err == nil && st == nil {
		err = setupLinkInvalid()
	}
	return st, err
}

// SetupAccount finds the account a set-up link belongs to, without spending it.
func (s *Service) SetupAccount(ctx context.Context, token string) (st *Staff, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		st, err = s.staffBySetupToken(tx, token)
		return err
	})
	if err == nil && st == nil {
		err = setupLinkInvalid()
	}
	return st, err
}

func (s *Service) staffBySetupToken(tx Tx, token string) (*Staff, error) {
	if token == "" {
		return nil, nil
	}
	st, err := tx.StaffBySetupToken(HashSecret(token))
	if err != nil || st == nil || !s.Now().Before(st.SetupExpiresAt) {
		return nil, err
	}
	return st, nil
}

func setupLinkInvalid() error {
	return Errorf(ENotFound, "This set-up link is used, expired or wrong. Ask your practice's admin for a new one.")
}

// InviteStaff adds a colleague and emails them a one-time link to set a password; the link's
// token is returned too. Inviting someone who has not set a password yet issues a new link (the
// earlier one stops working), also when two invitations for one email cross: the second finds
// the colleague the first added, and the link it returns is the one stored.
func (s *Service) InviteStaff(ctx context.Context, p *Practice, in NewStaff) (*Staff, string, error) {
	in.Email, in.Role = NormalizeEmail(in.Email), strings.TrimSpace(in.Role)
	if err := check(in); err != nil {
		return nil, "", err
	}
	token, now := NewToken(), s.Now()
	var st *Staff
	err := s.inTx(ctx, func(tx Tx) (err error) {
		invited := &Staff{ID: NewID("stf", now), PracticeID: p.ID, Email: in.Email, Role: in.Role,
			SetupTokenHash: HashSecret(token), SetupExpiresAt: now.Add(SetupTokenLifetime), CreatedAt: now}
		if st, err = addInvited(tx, p, invited); err != nil {
			return err
		}
		return s.queueMessage(tx, p, StaffInvite, NewID("invite", now), st.Email, Letter{SignInURL: s.SetPasswordURL(token)})
	})
	if err != nil {
		return nil, "", err
	}
	return st, token, nil
}

// SetPasswordURL is the page where a one-time set-up or reset link's holder sets a password.
func (s *Service) SetPasswordURL(token string) string { return s.PublicURL + "/setup/" + token }

// addInvited stores an invitation, or renews the one the colleague already has.
func addInvited(tx Tx, p *Practice, invited *Staff) (*Staff, error) {
	// Twice at most: an insert that finds the email taken meanwhile looks again.
	for range 2 {
		existing, err := staffWithEmail(tx, p, invited.Email)
		if err != nil {
			return nil, err
		}
		if existing != nil {
			if existing.PasswordHash != "" {
				return nil, InvalidField("email", "already has an account at this practice")
			}
			existing.Role, existing.SetupTokenHash, existing.SetupExpiresAt = invited.Role, invited.SetupTokenHash, invited.SetupExpiresAt
			return existing, tx.UpdateStaff(existing)
		}
		inserted, err := tx.CreateStaff(invited)
		if err != nil || inserted {
			return invited, err
		}
	}
	return nil, fmt.Errorf("referral: staff %s not inserted, and no staff has the email", invited.ID)
}

// staffWithEmail is the practice's staff member with email, or nil.
func staffWithEmail(tx Tx, p *Practice, email string) (*Staff, error) {
	list, err := tx.StaffByEmail(email)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].PracticeID == p.ID {
			return &list[i], nil
		}
	}
	return nil, nil
}

// StaffList is the practice's staff, oldest first.
func (s *Service) StaffList(ctx context.Context, p *Practice) (list []Staff, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		list, err = tx.ListStaff(p.ID)
		return err
	})
	return list, err
}
