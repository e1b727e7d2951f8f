package referral

import "time"

// Advocates keeps the patients who refer friends, and their codes.
type Advocates interface {
	AdvocateByID(practiceID, id string) (*Advocate, error)
	AdvocateByEmail(practiceID, email string) (*Advocate, error)
	AdvocateByCode(practiceID, code string) (*Advocate, error)
	// Invitation finds a referral code's advocate in any practice, with that practice.
	Invitation(code string) (*Practice, *Advocate, error)
	CountActiveAdvocates(practiceID string) (int, error)
	InsertAdvocate(a *Advocate) (bool, error)
	UpdateAdvocate(a *Advocate) error
	ListAdvocates(practiceID string, f AdvocateFilter, p Page) ([]Advocate, error)
}

// AdvocateSignIns keeps one-time links and advocates' page sessions, by the hash of their
// tokens. TakeSignInLink deletes the link it returns, so only one request can use it.
type AdvocateSignIns interface {
	InsertSignInLink(l *SignInLink) error
	SignInLinkByHash(practiceID, hash string) (*SignInLink, error)
	TakeSignInLink(practiceID, hash string) (*SignInLink, error)
	InsertAdvocateSession(s *AdvocateSession) error
	AdvocateSessionByHash(hash string) (*AdvocateSession, error)
	DeleteAdvocateSession(hash string) error
	DeleteExpiredSignIns(now time.Time) (int64, error)
}
