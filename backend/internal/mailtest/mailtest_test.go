package mailtest_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/smtp"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/mailtest"
)

const raw = "From: \"Glow via AdvocateLoop\" <rewards@refer.example>\r\n" +
	"To: jane@patients.example\r\n" +
	"Subject: =?UTF-8?q?Your_reward_from_Gl=C3=B6w?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=b1\r\n\r\n" +
	"--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
	"Your page: https://refer.example/p/glow/me=0D=0ACode: AL-=\r\nXYZ\r\n" +
	"--b1\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
	"PHAgbGFuZz0iZW4iPjxhIGhyZWY9Imh0dHBzOi8vcmVmZXIuZXhhbXBsZS9wL2dsb3cvbWU/\r\nYT0xJmFtcDtiPTIiPlNlZTwvYT48L3A+\r\n" +
	"--b1--\r\n"

func TestParse(t *testing.T) {
	p := mailtest.MustParse(t, []byte(raw))
	if p.Subject != "Your reward from Glöw" || p.From.Name != "Glow via AdvocateLoop" || p.To[0].Address != "jane@patients.example" {
		t.Errorf("headers = %q %+v %+v", p.Subject, p.From, p.To[0])
	}
	if !strings.Contains(p.Text, "Code: AL-XYZ") || !strings.Contains(p.HTML, `<p lang="en">`) {
		t.Errorf("parts = %q / %q", p.Text, p.HTML)
	}
	want := []string{"https://refer.example/p/glow/me?a=1&b=2", "https://refer.example/p/glow/me"}
	if strings.Join(p.Links, " ") != strings.Join(want, " ") {
		t.Errorf("links = %q, want %q", p.Links, want)
	}
}

// sendWith is the standard library's SMTP client, which the server must serve like any other.
func sendWith(addr string, tlsConf *tls.Config, user, password string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if tlsConf != nil {
		if err := c.StartTLS(tlsConf); err != nil {
			return err
		}
	}
	if user != "" {
		if err := c.Auth(smtp.PlainAuth("", user, password, "127.0.0.1")); err != nil {
			return err
		}
	}
	if err := c.Mail("rewards@refer.example"); err != nil {
		return err
	}
	if err := c.Rcpt("jane@patients.example"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(raw)); err != nil {
		return err
	}
	return w.Close()
}

func TestServer(t *testing.T) {
	srv := mailtest.Start(t, mailtest.WithStartTLS(), mailtest.WithAuth("ann", "s3cret"))
	if !strings.HasPrefix(srv.URL(), "smtp://ann:s3cret@127.0.0.1:") {
		t.Errorf("URL = %q", srv.URL())
	}
	tlsConf := &tls.Config{RootCAs: srv.RootCAs(), ServerName: "127.0.0.1"}
	if err := sendWith(srv.Addr(), tlsConf, "", ""); err == nil || !strings.Contains(err.Error(), "authenticate") {
		t.Errorf("without signing in: %v, want the server to ask for it", err)
	}
	if err := sendWith(srv.Addr(), tlsConf, "ann", "s3cret"); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1)
	if m := got[0]; !m.TLS || m.User != "ann" || m.From != "rewards@refer.example" || m.To[0] != "jane@patients.example" ||
		mailtest.MustParse(t, m.Raw).Subject != "Your reward from Glöw" {
		t.Errorf("received %+v", m)
	}
	if l := srv.Logins(); len(l) != 1 || !l[0].TLS {
		t.Errorf("logins = %+v", l)
	}

	srv.Refuse(mailtest.AtRcpt, "550 5.1.1 No such user")
	if err := sendWith(srv.Addr(), tlsConf, "ann", "s3cret"); err == nil || !strings.HasPrefix(err.Error(), "550") || !strings.Contains(err.Error(), "5.1.1 No such user") {
		t.Errorf("refused: %v", err)
	}
	srv.Stall(mailtest.AtMail)
	stalled := make(chan error, 1)
	go func() { stalled <- sendWith(srv.Addr(), tlsConf, "ann", "s3cret") }()
	select {
	case err := <-stalled:
		t.Fatalf("a stalled server answered: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	srv.Recover()
	if err := <-stalled; err == nil {
		t.Error("a send the server stalled on succeeded")
	}
	if err := sendWith(srv.Addr(), tlsConf, "ann", "s3cret"); err != nil || len(srv.Messages()) != 2 {
		t.Errorf("after Recover: %v, %d messages", err, len(srv.Messages()))
	}
}

// CAFile is what SSL_CERT_FILE needs for a client to trust the server.
func TestCAFile(t *testing.T) {
	srv := mailtest.Start(t, mailtest.WithImplicitTLS())
	pem, err := os.ReadFile(srv.CAFile(t))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in %s", pem)
	}
	conn, err := tls.Dial("tcp", srv.Addr(), &tls.Config{RootCAs: pool})
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if !strings.HasPrefix(srv.URL(), "smtps://127.0.0.1:") {
		t.Errorf("URL = %q", srv.URL())
	}
}
