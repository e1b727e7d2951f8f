package referral

import (
	"context"
	"strings"
	"time"
)

// SignInLink is a one-time link emailed to whoever asked for it on a public form. For an
// advocate it opens their own page; for someone joining (no AdvocateID) it confirms their
// email and makes them an advocate, so no one can sign up someone else. Only its hash is kept.
type SignInLink struct {
	Hash       string
	PracticeID string
	AdvocateID string // empty: someone joining, who becomes an advocate by using the link
	Name       string // someone joining: the name they gave
	Email      string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// Joining reports whether the link confirms someone joining rather than signing an advocate in.
func (l *SignInLink) Joining() bool { return l.AdvocateID == "" }

// How long the links and the advocate's page session last.
const (
	SignInLinkLifetime      = 30 * time.Minute
	JoinLinkLifetime        = 24 * time.Hour // a confirmation may wait in an inbox a while
	AdvocateSessionLifetime = 30 * 24 * time.Hour
)

// AdvocateSession is an advocate signed in to their own page; only its token's hash is kept.
type AdvocateSession struct {
	Hash       string
	PracticeID string
	AdvocateID string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// SignInRequest is an advocate asking for a link to their page.
type SignInRequest struct {
	Email string `json:"email" validate:"required,max=254,email"`
}

// RequestJoin is someone asking to join on a public form: the hosted page or the widget. What
// happens next depends on whose email it is and goes only to that address: someone new gets a
// link that confirms their email and makes them an advocate, an advocate gets a link to their
// page. Only mistakes in what was typed come back, so the form answers the same for everyone.
func (s *Service) RequestJoin(ctx context.Context, p *Practice, in NewAdvocate) error {
	in.Email, in.Name = NormalizeEmail(in.Email), strings.TrimSpace(in.Name)
	if err := check(in); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		a, err := tx.AdvocateByEmail(p.ID, in.Email)
		if err != nil {
			return err
		}
		return s.emailLink(tx, p, a, in.Name, in.Email)
	})
}

// RequestSignIn is someone asking for a link to their advocate page. Only an advocate's address
// gets one; the form answers the same whoever typed what.
func (s *Service) RequestSignIn(ctx context.Context, p *Practice, in SignInRequest) error {
	in.Email = NormalizeEmail(in.Email)
	if err := check(in); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		a, err := tx.AdvocateByEmail(p.ID, in.Email)
		if err != nil || a == nil {
			return err
		}
		return s.emailLink(tx, p, a, a.Name, a.Email)
	})
}

// emailLink queues a one-time link to email: a sign-in link for advocate a, or a join link
// when a is nil. An address that has had MessagesPerHour gets nothing more for now.
func (s *Service) emailLink(tx Tx, p *Practice, a *Advocate, name, email string) error {
	if ok, err := s.formMessageAllowed(tx, p, email); err != nil || !ok {
		return err
	}
	now := s.Now()
	token := NewToken()
	link := &SignInLink{Hash: HashSecret(token), PracticeID: p.ID, Name: name, Email: email,
		CreatedAt: now, ExpiresAt: now.Add(JoinLinkLifetime)}
	kind, letter := JoinEmail, Letter{FirstName: firstName(name)}
	if a != nil {
		link.AdvocateID, link.ExpiresAt, kind = a.ID, now.Add(SignInLinkLifetime), SignInEmail
		letter.FirstName = firstName(a.Name)
		if a.Status == Active {
			s.present(a)
			letter.ReferralURL, letter.ReferralCode = a.URL, a.Code
		}
	}
	letter.SignInURL = s.PublicURL + "/p/" + p.Slug + "/sign-in?token=" + token
	if err := tx.InsertSignInLink(link); err != nil {
		return err
	}
	return s.queueMessage(tx, p, kind, NewID("form", now), email, letter)
}

// PeekSignInLink finds a link without spending it, so its page can say what it will do before
// anyone taps; a mail scanner that opens links must not use them up.
func (s *Service) PeekSignInLink(ctx context.Context, p *Practice, token string) (l *SignInLink, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		l, err = s.liveLink(tx.SignInLinkByHash, p, token)
		return err
	})
	return l, err
}

// UseSignInLink spends a link and starts the advocate's page session, returning its token. A
// join link makes its holder an advocate first; a full plan refuses it and leaves it unspent.
func (s *Service) UseSignInLink(ctx context.Context, p *Practice, token string) (string, error) {
	session := NewToken()
	err := s.inTx(ctx, func(tx Tx) error {
		l, err := s.liveLink(tx.TakeSignInLink, p, token)
		if err != nil {
			return err
		}
		var a *Advocate
		if l.Joining() {
			a, _, err = s.addAdvocate(tx, p, l.Name, l.Email)
		} else {
			a, err = tx.AdvocateByID(p.ID, l.AdvocateID)
		}
		if err != nil || a == nil {
			return orSpent(err)
		}
		now := s.Now()
		return tx.InsertAdvocateSession(&AdvocateSession{Hash: HashSecret(session), PracticeID: p.ID,
			AdvocateID: a.ID, CreatedAt: now, ExpiresAt: now.Add(AdvocateSessionLifetime)})
	})
	if err != nil {
		return "", err
	}
	return session, nil
}

// liveLink reads a link through find (which may spend it) and refuses an expired one.
func (s *Service) liveLink(find func(practiceID, hash string) (*SignInLink, error), p *Practice, token string) (*SignInLink, error) {
	if token == "" {
		return nil, orSpent(nil)
	}
	l, err := find(p.ID, HashSecret(token))
	if err != nil || l == nil || !s.Now().Before(l.ExpiresAt) {
		return nil, orSpent(err)
	}
	return l, nil
}

// orSpent is err, or the one answer for a link that is used, expired or wrong.
func orSpent(err error) error {
	if err != nil {
		return err
	}
	return Errorf(ENotFound, "This link was already used, has expired or is not complete. Ask for a new one: it comes by email within a minute.")
}

// SignedInAdvocate finds the advocate a page session belongs to in practice p, or nil.
func (s *Service) SignedInAdvocate(ctx context.Context, p *Practice, token string) (a *Advocate, err error) {
	if token == "" {
		return nil, nil
	}
	err = s.inTx(ctx, func(tx Tx) error {
		sess, err := tx.AdvocateSessionByHash(HashSecret(token))
		if err != nil || sess == nil || sess.PracticeID != p.ID || !s.Now().Before(sess.ExpiresAt) {
			return err
		}
		if a, err = tx.AdvocateByID(p.ID, sess.AdvocateID); a != nil {
			s.present(a)
		}
		return err
	})
	return a, err
}

// SignOutAdvocate ends an advocate's page session.
func (s *Service) SignOutAdvocate(ctx context.Context, token string) error {
	return s.inTx(ctx, func(tx Tx) error { return tx.DeleteAdvocateSession(HashSecret(token)) })
}

// PurgeSignIns deletes expired links and advocate sessions, for every practice.
func (s *Service) PurgeSignIns(ctx context.Context) (n int64, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		n, err = tx.DeleteExpiredSignIns(s.Now())
		return err
	})
	return n, err
}
