package channels

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/config"
)

// pop3Timeout bounds one POP3 session.
const pop3Timeout = 2 * time.Minute

// readBounceMailboxes reads the POP3 bounce mailboxes of the e-mail
// channels.
func (s *Service) readBounceMailboxes() {
	for _, wf := range s.cfg.Workflows {
		ch := wf.Channels
		if ch == nil || ch.Email == nil || ch.Email.BouncePOP3 == nil {
			continue
		}
		if err := s.readPOP3(ch.Email.BouncePOP3); err != nil {
			s.log.Error().Err(err).Str("workflow", wf.Name).Str("host", ch.Email.BouncePOP3.Host).Msg("reading the bounce mailbox")
		}
	}
}

// readPOP3 applies every DSN in the mailbox and deletes it; other
// messages are left. A DSN is deleted (at QUIT) only once applied, and
// applying one twice changes nothing.
func (s *Service) readPOP3(p *config.POP3Settings) error {
	tc := &tls.Config{ServerName: p.Host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: p.Insecure}
	if p.CAFile != "" {
		pem, err := os.ReadFile(p.CAFile)
		if err != nil {
			return err
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return fmt.Errorf("%s holds no PEM certificate", p.CAFile)
		}
	}
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: pop3Timeout}, "tcp", net.JoinHostPort(p.Host, strconv.Itoa(p.Port)), tc)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(pop3Timeout))
	c := textproto.NewConn(conn)
	if _, err := pop3OK(c); err != nil {
		return err
	}
	for _, cmd := range []string{"USER " + p.Username, "PASS " + p.Password} {
		if _, err := pop3Cmd(c, cmd); err != nil {
			return fmt.Errorf("logging in: %w", err)
		}
	}
	stat, err := pop3Cmd(c, "STAT")
	if err != nil {
		return err
	}
	var n int
	fmt.Sscanf(stat, "%d", &n)
	for i := 1; i <= n; i++ {
		if _, err := pop3Cmd(c, "RETR "+strconv.Itoa(i)); err != nil {
			return err
		}
		dr := c.DotReader()
		b, err := io.ReadAll(io.LimitReader(dr, maxBounceSize))
		if err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, dr); err != nil {
			return err
		}
		if !isDSN(b) {
			continue
		}
		if err := s.applyBounce(b, "POP3 "+p.Host); err != nil {
			return err
		}
		if _, err := pop3Cmd(c, "DELE "+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	_, err = pop3Cmd(c, "QUIT")
	return err
}

// pop3Cmd sends a command and reads its +OK line.
func pop3Cmd(c *textproto.Conn, cmd string) (string, error) {
	if err := c.PrintfLine("%s", cmd); err != nil {
		return "", err
	}
	return pop3OK(c)
}

// pop3OK reads a reply line: its text after +OK, or an error.
func pop3OK(c *textproto.Conn) (string, error) {
	line, err := c.ReadLine()
	if err != nil {
		return "", err
	}
	rest, ok := strings.CutPrefix(line, "+OK")
	if !ok {
		return "", fmt.Errorf("the server answered %q", line)
	}
	return strings.TrimSpace(rest), nil
}
