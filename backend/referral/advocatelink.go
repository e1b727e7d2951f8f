package referral

import "context"

// SendAdvocateLink emails an advocate a one-time link to their own page, which shows their
// referral link and rewards: for a patient who lost theirs. Staff ask for it, so unlike the
// public form it says when the address has had too many emails this hour. It goes through the
// outbox like every email, so it shows in the mailbox.
func (s *Service) SendAdvocateLink(ctx context.Context, p *Practice, id string) (*Advocate, error) {
	var a *Advocate
	err := s.inTx(ctx, func(tx Tx) (err error) {
		if a, err = s.advocate(tx, p, id); err != nil {
			return err
		}
		if a.Status != Active {
			return Errorf(EAdvocateDisabled, "%s is disabled, so their referral link does not work. Enable them first.", a.Name)
		}
		ok, err := s.formMessageAllowed(tx, p, a.Email)
		if err != nil {
			return err
		}
		if !ok {
			return Errorf(EInvalid, "%s has had %d emails in the last hour. Try again later.", a.Name, MessagesPerHour)
		}
		return s.emailLink(tx, p, a, a.Name, a.Email)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
