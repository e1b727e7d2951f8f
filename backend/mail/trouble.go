package mail

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// What went wrong with the mail server, in words for the staff who read a message's last error.

// notConfirmed is why a message that may have arrived is not sent again.
const notConfirmed = "The mail server did not confirm it received this message; it may have arrived. " +
	"Not retried, so it can never arrive twice; staff can send it again."

// serverReply is what the server answered, without go-mail's framing around it (which names
// the recipient and the Message-ID): "550 5.1.1 No such user".
func serverReply(se *gomail.SendError) string {
	s := se.Error()
	if _, reply, ok := strings.Cut(s, ": "); ok {
		s = reply
	}
	for _, tail := range []string{", affected recipient(s): ", ", affected message ID: "} {
		s, _, _ = strings.Cut(s, tail)
	}
	// net/textproto quotes the text of a reply: 550 "5.1.1 No such user".
	return quotedReply.ReplaceAllStringFunc(s, func(m string) string {
		text, err := strconv.Unquote(m[4:])
		if err != nil {
			return m
		}
		return m[:4] + strings.Join(strings.Fields(text), " ")
	})
}

var quotedReply = regexp.MustCompile(`\d{3} "(?:[^"\\]|\\.)*"`)

// plain says a network failure in words staff can act on; a server's answer stays as it is.
func (s *Sender) plain(err string) string {
	switch {
	case strings.Contains(err, "i/o timeout") || strings.Contains(err, "deadline exceeded"):
		return fmt.Sprintf("the mail server did not answer within %s", s.timeout())
	case strings.Contains(err, "does not support STARTTLS"):
		return "the mail server does not offer STARTTLS, and the password is only ever sent encrypted"
	case strings.HasSuffix(err, "EOF") || strings.Contains(err, "connection reset") || strings.Contains(err, "broken pipe"):
		return "the mail server closed the connection"
	}
	return err
}
