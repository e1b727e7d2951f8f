package referral

import "time"

// StaffAccounts keeps the people who sign in to the dashboard.
type StaffAccounts interface {
	// CreateStaff returns false when the practice already has staff with that email.
	CreateStaff(s *Staff) (bool, error)
	StaffByID(practiceID, id string) (*Staff, error)
	StaffBySetupToken(hash string) (*Staff, error)
	// StaffByEmail finds the accounts with this email in every practice.
	StaffByEmail(email string) ([]Staff, error)
	UpdateStaff(s *Staff) error
	ListStaff(practiceID string) ([]Staff, error)
	// DeleteStaff removes a staff member and ends their sessions.
	DeleteStaff(practiceID, id string) error
}

// Sessions keeps staff's dashboard sessions, by the hash of their tokens.
type Sessions interface {
	InsertSession(s *Session) error
	SessionByHash(hash string) (*Session, error)
	UpdateSession(s *Session) error
	DeleteSession(hash string) error
	// DeleteStaffSessions ends every session of one staff member.
	DeleteStaffSessions(practiceID, staffID string) error
}

// SignInFailures counts failed staff sign-ins, kept by a hash of the email and the client's
// address, and only for the lock-out window.
type SignInFailures interface {
	CountLoginFailures(key string, since time.Time) (int, error)
	InsertLoginFailure(key string, at time.Time) error
	ClearLoginFailures(key string) error
}
