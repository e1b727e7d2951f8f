package referral

import (
	"context"
	"strings"
)

// An admin changes who is on the team: a colleague's role, or removes them. Either ends the
// colleague's sessions at once, so a removed or demoted person keeps no access they had. The
// practice keeps at least one admin who can sign in, or no one could run it.

// ChangeStaffRole gives staff member id of practice p a new role.
func (s *Service) ChangeStaffRole(ctx context.Context, p *Practice, id, role string) (*Staff, error) {
	role = strings.TrimSpace(role)
	if role != Admin && role != FrontDesk {
		return nil, InvalidField("role", "must be admin or front_desk")
	}
	return s.changeTeam(ctx, p, id, func(tx Tx, st *Staff, admins int) error {
		if st.Role == role {
			return nil
		}
		if role != Admin && lastAdmin(st, admins) {
			return Errorf(EInvalid, "%s is the practice's only admin. Make someone else an admin first.", st.Email)
		}
		st.Role = role
		if err := tx.UpdateStaff(st); err != nil {
			return err
		}
		return tx.DeleteStaffSessions(p.ID, st.ID)
	})
}

// RemoveStaff takes staff member id off practice p's team.
func (s *Service) RemoveStaff(ctx context.Context, p *Practice, id string) (*Staff, error) {
	return s.changeTeam(ctx, p, id, func(tx Tx, st *Staff, admins int) error {
		if lastAdmin(st, admins) {
			return Errorf(EInvalid, "%s is the practice's only admin. Make someone else an admin first.", st.Email)
		}
		return tx.DeleteStaff(p.ID, st.ID)
	})
}

// changeTeam finds staff member id and counts the admins who can sign in, with the practice
// locked, so two admins demoting each other at once cannot leave it with none.
func (s *Service) changeTeam(ctx context.Context, p *Practice, id string, change func(tx Tx, st *Staff, admins int) error) (*Staff, error) {
	if !IsText(id) {
		return nil, NotFound("staff member")
	}
	var st *Staff
	err := s.inTx(ctx, func(tx Tx) error {
		if _, err := tx.LockPractice(p.ID, ""); err != nil {
			return err
		}
		team, err := tx.ListStaff(p.ID)
		if err != nil {
			return err
		}
		admins := 0
		st = nil
		for i := range team {
			if team[i].Role == Admin && team[i].PasswordHash != "" {
				admins++
			}
			if team[i].ID == id {
				st = &team[i]
			}
		}
		if st == nil {
			return NotFound("staff member")
		}
		return change(tx, st, admins)
	})
	return st, err
}

// lastAdmin tells whether st is the one admin of the team who can sign in.
func lastAdmin(st *Staff, admins int) bool {
	return st.Role == Admin && st.PasswordHash != "" && admins <= 1
}
