package testpeer

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Mailpit is a running mailpit SMTP server with STARTTLS required, any
// AUTH accepted and chaos triggers enabled, and its HTTP API.
type Mailpit struct {
	SMTPPort int
	// POP3Port is its POP3 server's (implicit TLS, the same certificate),
	// with user POP3User and password POP3Password; 0 without one.
	POP3Port int
	API      string // http://127.0.0.1:PORT
	// CAFile is the certificate that verifies the server's (self-signed,
	// for localhost and 127.0.0.1).
	CAFile string
	Dir    string
	proc   *process
	log    string
}

// StartMailpit starts mailpit (built from tools/go.mod) with a fresh
// server certificate and extra arguments (e.g. --smtp-allowed-recipients
// REGEXP); it is stopped in the test's cleanup.
func StartMailpit(t testing.TB, extra ...string) *Mailpit {
	t.Helper()
	return startMailpit(t, false, extra)
}

// Credentials of the POP3 mailbox of StartMailpitPOP3.
const (
	POP3User     = "bounces"
	POP3Password = "bounce-pw"
)

// StartMailpitPOP3 is StartMailpit with mailpit's POP3 server on too:
// every message mailpit holds is in the mailbox of POP3User.
func StartMailpitPOP3(t testing.TB, extra ...string) *Mailpit {
	t.Helper()
	return startMailpit(t, true, extra)
}

func startMailpit(t testing.TB, pop3 bool, extra []string) *Mailpit {
	t.Helper()
	bin := GoTool(t, "mailpit")
	m := &Mailpit{Dir: t.TempDir(), SMTPPort: FreePort(t)}
	m.API = "http://127.0.0.1:" + strconv.Itoa(FreePort(t))
	ca, err := writeServerCert(m.Dir)
	if err != nil {
		t.Fatalf("testpeer: mailpit certificate: %v", err)
	}
	m.CAFile = ca
	m.log = filepath.Join(m.Dir, "mailpit.log")
	logf, err := os.Create(m.log)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(bin, "--smtp", "127.0.0.1:"+strconv.Itoa(m.SMTPPort), "--listen", m.API[len("http://"):],
		"--smtp-tls-cert", ca, "--smtp-tls-key", filepath.Join(m.Dir, "localhost.key"),
		"--smtp-require-starttls", "--smtp-auth-accept-any", "--smtp-disable-rdns",
		"--disable-version-check", "--enable-chaos", "--database", filepath.Join(m.Dir, "mailpit.db"),
		"--max", "0")
	if pop3 {
		m.POP3Port = FreePort(t)
		hash, err := bcrypt.GenerateFromPassword([]byte(POP3Password), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		auth := filepath.Join(m.Dir, "pop3.passwd")
		if err := os.WriteFile(auth, []byte(POP3User+":"+string(hash)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd.Args = append(cmd.Args, "--pop3", "127.0.0.1:"+strconv.Itoa(m.POP3Port), "--pop3-auth-file", auth,
			"--pop3-tls-cert", ca, "--pop3-tls-key", filepath.Join(m.Dir, "localhost.key"))
	}
	cmd.Args = append(cmd.Args, extra...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if m.proc, err = startProcess(cmd); err != nil {
		t.Fatalf("testpeer: starting mailpit: %v", err)
	}
	t.Cleanup(func() { m.proc.stop(5 * time.Second) })
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(m.API + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if m.proc.exited() || time.Now().After(deadline) {
			t.Fatalf("testpeer: mailpit did not become ready: %v\n%s", err, tail(m.log, 30))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return m
}

// MailpitMessage is a message as mailpit's API lists it.
type MailpitMessage struct {
	ID        string `json:"ID"`
	MessageID string `json:"MessageID"`
	Subject   string `json:"Subject"`
	To        []struct {
		Address string `json:"Address"`
	} `json:"To"`
	Attachments int `json:"Attachments"`
}

// MailpitAttachment is an attachment of a message.
type MailpitAttachment struct {
	PartID      string `json:"PartID"`
	FileName    string `json:"FileName"`
	ContentType string `json:"ContentType"`
	Size        int    `json:"Size"`
}

// MailpitDetail is one message in full.
type MailpitDetail struct {
	MessageID   string              `json:"MessageID"`
	Subject     string              `json:"Subject"`
	Text        string              `json:"Text"`
	HTML        string              `json:"HTML"`
	Attachments []MailpitAttachment `json:"Attachments"`
}

// Messages lists every message mailpit holds.
func (m *Mailpit) Messages(t testing.TB) []MailpitMessage {
	t.Helper()
	var out struct {
		Total    int              `json:"total"`
		Messages []MailpitMessage `json:"messages"`
	}
	m.getJSON(t, "/api/v1/messages?limit=100000", &out)
	return out.Messages
}

// Message returns message id (mailpit's ID) in full.
func (m *Mailpit) Message(t testing.TB, id string) MailpitDetail {
	t.Helper()
	var d MailpitDetail
	m.getJSON(t, "/api/v1/message/"+id, &d)
	return d
}

// Part returns the bytes of part partID of message id.
func (m *Mailpit) Part(t testing.TB, id, partID string) []byte {
	t.Helper()
	return m.get(t, "/api/v1/message/"+id+"/part/"+partID)
}

// Raw returns message id as it was received.
func (m *Mailpit) Raw(t testing.TB, id string) []byte {
	t.Helper()
	return m.get(t, "/api/v1/message/"+id+"/raw")
}

// Chaos sets mailpit's chaos triggers, e.g. {"Recipient":{"ErrorCode":451,
// "Probability":100}}; "{}" resets them.
func (m *Mailpit) Chaos(t testing.TB, triggers string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, m.API+"/api/v1/chaos", bytes.NewBufferString(triggers))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit chaos: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("mailpit chaos: %s: %s", resp.Status, b)
	}
}

func (m *Mailpit) get(t testing.TB, path string) []byte {
	t.Helper()
	resp, err := http.Get(m.API + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s: %s %v: %s", path, resp.Status, err, b)
	}
	return b
}

func (m *Mailpit) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(m.get(t, path), v); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}

// String names the server for failure messages.
func (m *Mailpit) String() string { return fmt.Sprintf("mailpit smtp %d api %s", m.SMTPPort, m.API) }

// SendRaw sends a raw message (CRLF lines) to mailpit over STARTTLS, as
// another mail system would (a bounce, for example).
func (m *Mailpit) SendRaw(t testing.TB, from, to string, raw []byte) {
	t.Helper()
	pem, err := os.ReadFile(m.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c, err := smtp.Dial("127.0.0.1:" + strconv.Itoa(m.SMTPPort))
	if err != nil {
		t.Fatalf("mailpit smtp: %v", err)
	}
	defer c.Close()
	if err := c.StartTLS(&tls.Config{ServerName: "localhost", RootCAs: pool}); err != nil {
		t.Fatalf("mailpit starttls: %v", err)
	}
	if err := c.Mail(from); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(to); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c.Quit()
}
