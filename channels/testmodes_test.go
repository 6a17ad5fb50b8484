package channels

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/spool"
)

// TestPauseAndRedirect: with pause_email nothing is sent and the pieces
// wait; with redirect_all_to every e-mail goes to that one address.
func TestPauseAndRedirect(t *testing.T) {
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "      pause_email: true\n      redirect_all_to: qa@example.com\n")
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}, {"email", "b@example.com"}, {"portal", ""}})
	r.passUntil(t, "the portal piece", func() bool { return r.deliveries(t, j.ID)[3].State == spool.DeliveryDelivered })
	for range 3 {
		r.s.pass(t.Context())
	}
	for _, seq := range []int{1, 2} {
		if d := r.deliveries(t, j.ID)[seq]; d.State != spool.DeliveryPending || d.Attempts != 0 {
			t.Errorf("piece %d while e-mail is paused: %+v", seq, d)
		}
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Fatalf("%d messages sent while e-mail is paused", n)
	}
	r.s.cfg.Workflows[0].Channels.PauseEmail = false
	r.passUntil(t, "e-mail", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })
	msgs := mp.Messages(t)
	if len(msgs) != 2 {
		t.Fatalf("%d messages; want 2", len(msgs))
	}
	for _, m := range msgs {
		if len(m.To) != 1 || m.To[0].Address != "qa@example.com" {
			t.Errorf("message %s to %+v; want qa@example.com only", m.MessageID, m.To)
		}
	}
}

// TestInsecureIsLogged: skipping certificate verification is said at
// start, as a warning.
func TestInsecureIsLogged(t *testing.T) {
	var buf bytes.Buffer
	e := &config.EmailSettings{Host: "smtp.example.com", Port: 587, Security: "starttls", Insecure: true}
	m, err := newMailer(e, zerolog.New(&buf))
	if err != nil {
		t.Fatal(err)
	}
	if !m.tls.InsecureSkipVerify || !strings.Contains(buf.String(), `"level":"warn"`) || !strings.Contains(buf.String(), "NOT verified") {
		t.Errorf("insecure: skip %v, log %s", m.tls.InsecureSkipVerify, buf.String())
	}
	buf.Reset()
	e.Insecure = false
	if m, _ = newMailer(e, zerolog.New(&buf)); m.tls.InsecureSkipVerify || buf.Len() != 0 {
		t.Errorf("secure by default: skip %v, log %s", m.tls.InsecureSkipVerify, buf.String())
	}
}

// TestPasswordProtectedAttachment: with pdf_password the attachment,
// read back through mailpit, opens with the piece's password (AES-256,
// revision 6, printing allowed); a piece without one falls back to print.
func TestPasswordProtectedAttachment(t *testing.T) {
	qpdf := pdftest.NeedTool(t, "qpdf", "qpdf")
	pdftotext := pdftest.NeedTool(t, "pdftotext", "poppler-utils")
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "")
	r.s.cfg.Workflows[0].Channels.Email.PDFPassword = "{{.Meta.birth_date}}"
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}, {"email", "b@example.com"}})
	pieces, _ := r.store.Pieces(j.ID)
	pieces[0].Meta = pieces[0].Meta.With("birth_date", "19700101")
	r.store.SetPieces(j.ID, pieces)
	r.passUntil(t, "both deliveries", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered, spool.DeliveryFellBack) })
	ds := r.deliveries(t, j.ID)
	if ds[1].State != spool.DeliveryDelivered || ds[2].State != spool.DeliveryFellBack || !strings.Contains(ds[2].Error, "no PDF password") {
		t.Fatalf("deliveries %+v", ds)
	}
	msgs := mp.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("%d messages; want 1", len(msgs))
	}
	m := mp.Message(t, msgs[0].ID)
	att := filepath.Join(t.TempDir(), "att.pdf")
	os.WriteFile(att, mp.Part(t, msgs[0].ID, m.Attachments[0].PartID), 0o644)
	locked, _ := os.ReadFile(filepath.Join(r.store.JobDir(j.ID), piecesDir, "piece-1.locked.pdf"))
	if got, _ := os.ReadFile(att); !bytes.Equal(got, locked) {
		t.Error("the attachment is not the piece's protected PDF")
	}
	b, err := exec.Command(qpdf, "--show-encryption", "--password=19700101", att).CombinedOutput()
	if err != nil || !strings.Contains(string(b), "R = 6") || !strings.Contains(string(b), "print high resolution: allowed") {
		t.Errorf("qpdf --show-encryption: %v\n%s", err, b)
	}
	if text, err := exec.Command(pdftotext, "-upw", "19700101", att, "-").CombinedOutput(); err != nil || !strings.Contains(string(text), "piece 1 page 1") {
		t.Errorf("pdftotext with the password: %v\n%s", err, text)
	}
	if _, err := exec.Command(pdftotext, att, "-").CombinedOutput(); err == nil {
		t.Error("the attachment opens without a password")
	}
}

// TestSMIMESigned: with smime_cert and smime_key every e-mail is signed;
// the message as mailpit received it verifies with openssl smime.
func TestSMIMESigned(t *testing.T) {
	openssl := pdftest.NeedTool(t, "openssl", "openssl")
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "sender.pem"), filepath.Join(dir, "sender.key")
	if b, err := exec.Command(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=noreply@bank.test",
		"-keyout", key, "-out", cert).CombinedOutput(); err != nil {
		t.Fatalf("openssl req: %v\n%s", err, b)
	}
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "")
	e := r.s.cfg.Workflows[0].Channels.Email
	e.SMIMECert, e.SMIMEKey = cert, key
	m, err := newMailer(e, r.s.log)
	if err != nil {
		t.Fatal(err)
	}
	r.s.mailers["mail"] = m
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}})
	r.passUntil(t, "delivery", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })
	msgs := mp.Messages(t)
	raw := filepath.Join(dir, "raw.eml")
	os.WriteFile(raw, mp.Raw(t, msgs[0].ID), 0o644)
	out := filepath.Join(dir, "inner.eml")
	if b, err := exec.Command(openssl, "smime", "-verify", "-in", raw, "-CAfile", cert, "-purpose", "any", "-out", out).CombinedOutput(); err != nil ||
		!strings.Contains(string(b), "Verification successful") {
		t.Fatalf("openssl smime -verify: %v\n%s", err, b)
	}
	if inner, _ := os.ReadFile(out); !bytes.Contains(inner, []byte("application/pdf")) {
		t.Errorf("the signed content lacks the attachment:\n%.2000s", inner)
	}
}

// TestSMIMEEncrypted: an e-mail to a recipient whose certificate is on
// file is signed, then encrypted to it with AES-256; openssl smime
// decrypts it with the recipient's key, the signature inside verifies,
// and the piece's PDF is in it. A recipient without a certificate gets
// the message signed only.
func TestSMIMEEncrypted(t *testing.T) {
	openssl := pdftest.NeedTool(t, "openssl", "openssl")
	dir := t.TempDir()
	newCert := func(cn, cert, key string) {
		if b, err := exec.Command(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN="+cn,
			"-keyout", key, "-out", cert).CombinedOutput(); err != nil {
			t.Fatalf("openssl req: %v\n%s", err, b)
		}
	}
	sender, senderKey := filepath.Join(dir, "sender.pem"), filepath.Join(dir, "sender.key")
	newCert("noreply@bank.test", sender, senderKey)
	recipients := filepath.Join(dir, "smime")
	os.MkdirAll(recipients, 0o755)
	recipientKey := filepath.Join(dir, "a.key")
	newCert("a@example.com", filepath.Join(recipients, "a@example.com.pem"), recipientKey)
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "")
	e := r.s.cfg.Workflows[0].Channels.Email
	e.SMIMECert, e.SMIMEKey, e.SMIMERecipients = sender, senderKey, recipients
	m, err := newMailer(e, r.s.log)
	if err != nil {
		t.Fatal(err)
	}
	r.s.mailers["mail"] = m
	j := r.analysedJob(t, []piece{{"email", "A@example.com"}, {"email", "b@example.com"}})
	r.passUntil(t, "delivery", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })
	byTo := map[string]string{}
	for _, msg := range mp.Messages(t) {
		byTo[strings.ToLower(msg.To[0].Address)] = msg.ID
	}
	enc := filepath.Join(dir, "enc.eml")
	raw := mp.Raw(t, byTo["a@example.com"])
	os.WriteFile(enc, raw, 0o644)
	if !bytes.Contains(raw, []byte("application/pkcs7-mime")) || bytes.Contains(raw, []byte("application/pdf")) {
		t.Fatalf("the message to a@example.com is not encrypted:\n%.1500s", raw)
	}
	dec := filepath.Join(dir, "dec.eml")
	if b, err := exec.Command(openssl, "smime", "-decrypt", "-in", enc, "-recip", filepath.Join(recipients, "a@example.com.pem"),
		"-inkey", recipientKey, "-out", dec).CombinedOutput(); err != nil {
		t.Fatalf("openssl smime -decrypt: %v\n%s", err, b)
	}
	if b, err := exec.Command(openssl, "cms", "-cmsout", "-print", "-in", enc).CombinedOutput(); err != nil || !strings.Contains(string(b), "aes-256-cbc") {
		t.Errorf("the content cipher is not AES-256-CBC: %v\n%.3000s", err, b)
	}
	inner := filepath.Join(dir, "inner.eml")
	if b, err := exec.Command(openssl, "smime", "-verify", "-in", dec, "-CAfile", sender, "-purpose", "any", "-out", inner).CombinedOutput(); err != nil {
		t.Fatalf("openssl smime -verify of the decrypted message: %v\n%s", err, b)
	}
	if b, _ := os.ReadFile(inner); !bytes.Contains(b, []byte("application/pdf")) {
		t.Errorf("the decrypted, verified message lacks the piece")
	}
	if raw := mp.Raw(t, byTo["b@example.com"]); !bytes.Contains(raw, []byte("multipart/signed")) || bytes.Contains(raw, []byte("pkcs7-mime")) {
		t.Errorf("the message to b@example.com (no certificate) should be signed, not encrypted")
	}
}

// TestPDFAWithoutEmbeddedFontsFallsBack: with pdfa on, a piece whose
// fonts are not embedded (pdftest's Helvetica) cannot be PDF/A: it is not
// sent, and falls back to print saying why.
func TestPDFAWithoutEmbeddedFontsFallsBack(t *testing.T) {
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "      pdfa: true\n")
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}, {"portal", ""}})
	r.passUntil(t, "the fallback", func() bool { return r.allIn(t, j.ID, spool.DeliveryFellBack) })
	for seq, d := range r.deliveries(t, j.ID) {
		if !strings.Contains(d.Error, "Helvetica is not embedded") || d.Attempts != 0 {
			t.Errorf("piece %d: %+v", seq, d)
		}
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Errorf("%d messages sent", n)
	}
}
