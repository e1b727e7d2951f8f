package mailtest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/emersion/go-smtp"
)

// Stage is where in a conversation the server refuses or stalls.
type Stage int

const (
	AtConnect Stage = iota // the answer to EHLO, before anything is sent
	AtMail                 // MAIL FROM
	AtRcpt                 // RCPT TO
	AtData                 // after the message's data arrived, before the final answer
)

// trouble is a refusal or a stall at one stage, until Recover.
type trouble struct {
	at        Stage
	refusal   *smtp.SMTPError // nil: stall
	recovered chan struct{}
}

// Refuse answers every command at stage with reply, such as "451 4.3.0 Try again later" or
// "550 5.1.1 No such user", until Recover.
func (s *Server) Refuse(at Stage, reply string) {
	code, rest, _ := strings.Cut(reply, " ")
	n, err := strconv.Atoi(code)
	if err != nil || n < 400 || n > 599 {
		panic(fmt.Sprintf("mailtest: Refuse needs a 4xx or 5xx reply, got %q", reply))
	}
	refusal := &smtp.SMTPError{Code: n, EnhancedCode: smtp.EnhancedCodeNotSet, Message: rest}
	if enh, text, ok := strings.Cut(rest, " "); ok && strings.Count(enh, ".") == 2 {
		var c smtp.EnhancedCode
		if _, err := fmt.Sscanf(enh, "%d.%d.%d", &c[0], &c[1], &c[2]); err == nil {
			refusal.EnhancedCode, refusal.Message = c, text
		}
	}
	s.setTrouble(&trouble{at: at, refusal: refusal, recovered: make(chan struct{})})
}

// Stall never answers at stage until Recover, so a client's timeout runs out. A message stalled
// AtData is kept, as a real server may have kept it.
func (s *Server) Stall(at Stage) {
	s.setTrouble(&trouble{at: at, recovered: make(chan struct{})})
}

// Recover ends a refusal or a stall: from now on every message is accepted.
func (s *Server) Recover() { s.setTrouble(nil) }

func (s *Server) setTrouble(t *trouble) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.trouble != nil {
		close(s.trouble.recovered)
	}
	s.trouble = t
}

// troubleAt stalls or refuses as told at stage; nil lets the command through.
func (s *Server) troubleAt(at Stage) error {
	t := s.current()
	switch {
	case t == nil || t.at != at:
		return nil
	case t.refusal != nil:
		return t.refusal
	}
	select {
	case <-t.recovered:
	case <-s.closed:
	}
	// The client gave up long ago; whatever it hears now must not look like success.
	return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "Stalled"}
}

func (s *Server) current() *trouble {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.trouble
}
