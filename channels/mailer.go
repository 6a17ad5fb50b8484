package channels

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"
	mail "github.com/wneessen/go-mail"

	"github.com/omsd/omsd/config"
)

// mailer sends e-mails over one SMTP connection at a time, kept open
// between the messages of a pass, at most rate messages a second.
type mailer struct {
	cfg    *config.EmailSettings
	tls    *tls.Config
	signer *tls.Certificate // S/MIME signing key pair; nil: none
	log    zerolog.Logger
	client *mail.Client // nil: not connected
	limit  *limiter     // shared by the connections of one channel
}

// limiter spaces the starts of messages at most rate a second.
type limiter struct {
	mu   sync.Mutex
	last time.Time // when the last message was started
}

// more returns n-1 more connections of m's channel, sharing its limit.
func (m *mailer) more(n int) []*mailer {
	out := []*mailer{m}
	for len(out) < n {
		out = append(out, &mailer{cfg: m.cfg, tls: m.tls, signer: m.signer, log: m.log, limit: m.limit})
	}
	return out
}

// newMailer checks an e-mail channel's TLS settings: the CA file is read
// now; insecure is logged as a warning.
func newMailer(e *config.EmailSettings, log zerolog.Logger) (*mailer, error) {
	tc := &tls.Config{ServerName: e.Host, MinVersion: tls.VersionTLS12}
	if e.CAFile != "" {
		pem, err := os.ReadFile(e.CAFile)
		if err != nil {
			return nil, fmt.Errorf("%w: email.ca_file: %w", ErrConfig, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: email.ca_file %s holds no PEM certificate", ErrConfig, e.CAFile)
		}
		tc.RootCAs = pool
	}
	if e.Insecure {
		tc.InsecureSkipVerify = true
		log.Warn().Str("host", e.Host).Msg("email.insecure is set: the SMTP server's certificate is NOT verified; anyone on the path can read the pieces")
	}
	m := &mailer{cfg: e, tls: tc, log: log, limit: &limiter{}}
	if e.SMIMECert != "" {
		kp, err := tls.LoadX509KeyPair(e.SMIMECert, e.SMIMEKey)
		if err != nil {
			return nil, fmt.Errorf("%w: email.smime_cert, smime_key: %w", ErrConfig, err)
		}
		m.signer = &kp
	}
	return m, nil
}

// options are the go-mail client options of the channel.
func (m *mailer) options() []mail.Option {
	opts := []mail.Option{
		mail.WithPort(m.cfg.Port), mail.WithTLSConfig(m.tls),
		mail.WithTimeout(time.Duration(m.cfg.Timeout)),
	}
	if m.cfg.Security == "tls" {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if m.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain),
			mail.WithUsername(m.cfg.Username), mail.WithPassword(m.cfg.Password))
	}
	return opts
}

// send sends msg to to, connecting first if need be, and returns the
// server's reply. It is signed with the sender's S/MIME key pair if one is
// configured, then encrypted to to's certificate if one is on file. A failed send closes the connection; the next send connects anew.
func (m *mailer) send(ctx context.Context, msg *mail.Msg, to string) (string, error) {
	if m.signer != nil {
		if err := msg.SignWithTLSCertificate(m.signer); err != nil {
			return "", fmt.Errorf("%w: S/MIME signing: %w", ErrConfig, err)
		}
	}
	if cert, err := recipientCert(m.cfg.SMIMERecipients, to); err != nil {
		return "", fmt.Errorf("the S/MIME certificate of %s: %w", to, err)
	} else if cert != nil {
		if msg, err = encryptMsg(msg, cert); err != nil {
			return "", err
		}
	}
	if err := m.throttle(ctx); err != nil {
		return "", err
	}
	if m.client == nil {
		c, err := mail.NewClient(m.cfg.Host, m.options()...)
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrConfig, err)
		}
		if err := c.DialWithContext(ctx); err != nil {
			return "", fmt.Errorf("connecting to %s:%d: %w", m.cfg.Host, m.cfg.Port, err)
		}
		m.client = c
	}
	if err := m.client.Send(msg); err != nil {
		m.close()
		return "", err
	}
	return msg.ServerResponse(), nil
}

// throttle waits until the next message may start.
func (m *mailer) throttle(ctx context.Context) error {
	if m.cfg.Rate <= 0 {
		return nil
	}
	gap := time.Duration(float64(time.Second) / m.cfg.Rate)
	m.limit.mu.Lock()
	at := m.limit.last.Add(gap) // this message's slot
	if now := time.Now(); at.Before(now) {
		at = now
	}
	m.limit.last = at
	m.limit.mu.Unlock()
	if wait := time.Until(at); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// close ends the connection, if any.
func (m *mailer) close() {
	if m.client != nil {
		m.client.Close()
		m.client = nil
	}
}

// outcome classifies a send error: temporary (a 4xx reply, or no reply
// at all: the server could not be reached) or permanent (a 5xx reply).
func outcome(err error) (permanent bool, code int) {
	var se *mail.SendError
	if errors.As(err, &se) {
		code = se.ErrorCode()
		if code >= 500 && code < 600 {
			return true, code
		}
		return false, code
	}
	return false, 0
}
