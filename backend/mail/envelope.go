package mail

import (
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/advocateloop/advocateloop/backend/referral"
)

// envelope is message m of practice p as it goes on the wire: from the practice via the
// configured address, replies to the practice, a Message-ID that is the same on every retry,
// and RFC 8058 one-click unsubscribe on every kind of message but one-time links.
func (s *Sender) envelope(p *referral.Practice, m *referral.Message, c Composed, at time.Time) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	from := s.fromFor(p.Name)
	if err := msg.FromFormat(from.Name, from.Address); err != nil {
		return nil, fmt.Errorf("the sender %s is not an address: %w", from.Address, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("the recipient's address is not one email can go to: %w", err)
	}
	if p.ContactEmail != "" {
		_ = msg.ReplyTo(p.ContactEmail) // validated in settings; without it replies go to From
	}
	msg.Subject(c.Subject)
	msg.SetMessageIDWithValue(m.ID + "@" + domain(s.from.Address))
	msg.SetDateWithValue(at)
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no vacation replies
	if referral.Unsubscribable(m.Kind) && m.Letter.UnsubscribeURL != "" {
		msg.SetListUnsubscribe(m.Letter.UnsubscribeURL)
		msg.SetListUnsubscribePost()
	}
	msg.SetBodyString(gomail.TypeTextPlain, c.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, c.HTML)
	return msg, nil
}
