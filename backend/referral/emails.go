package referral

import "context"

// StopEmailsByLink is the one-click unsubscribe of a message's link (RFC 8058): the practice's
// emails to that address stop, and those still queued are cancelled. Sign-in links still come
// when asked for. Using the link again changes nothing.
func (s *Service) StopEmailsByLink(ctx context.Context, p *Practice, token string) error {
	return s.inTx(ctx, func(tx Tx) error {
		m, err := tx.MessageByUnsubscribeHash(p.ID, HashSecret(token))
		if err != nil {
			return err
		}
		if m == nil {
			return Errorf(ENotFound, "This unsubscribe link is not complete. Open it again from the email.")
		}
		return tx.StopEmails(p.ID, m.To, s.Now())
	})
}

// SetAdvocateEmails turns the practice's emails to an advocate off or on, from their own page.
func (s *Service) SetAdvocateEmails(ctx context.Context, p *Practice, a *Advocate, on bool) error {
	return s.inTx(ctx, func(tx Tx) error {
		if on {
			return tx.ResumeEmails(p.ID, a.Email)
		}
		return tx.StopEmails(p.ID, a.Email, s.Now())
	})
}

// EmailsStopped tells whether an address stopped the practice's emails.
func (s *Service) EmailsStopped(ctx context.Context, p *Practice, email string) (stopped bool, err error) {
	err = s.inTx(ctx, func(tx Tx) (err error) {
		stopped, err = tx.EmailsStopped(p.ID, NormalizeEmail(email))
		return err
	})
	return stopped, err
}
