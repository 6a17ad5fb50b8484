package channels

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"

	"github.com/smallstep/pkcs7"
	mail "github.com/wneessen/go-mail"
)

func init() {
	// pkcs7's content cipher is a package global, DES-CBC unless set: set
	// it once, here, and never per call (it is not safe to change while
	// another goroutine encrypts).
	pkcs7.ContentEncryptionAlgorithm = pkcs7.EncryptionAlgorithmAES256CBC
}

// maxCertSize bounds a recipient certificate file.
const maxCertSize = 64 << 10

// recipientCert returns the certificate on file for address in dir
// (ADDRESS.pem, the address in lower case), or nil when there is none.
func recipientCert(dir, address string) (*x509.Certificate, error) {
	if dir == "" {
		return nil, nil
	}
	name := strings.ToLower(strings.TrimSpace(address))
	if name == "" || strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") {
		return nil, nil
	}
	f, err := os.Open(filepath.Join(dir, name+".pem"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCertSize))
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%s.pem holds no PEM certificate", name)
	}
	return x509.ParseCertificate(block.Bytes)
}

// encryptMsg wraps msg (signed already, if it is to be) into an S/MIME
// enveloped-data message to cert (AES-256-CBC): the same envelope headers,
// the whole MIME entity of msg encrypted as smime.p7m.
func encryptMsg(msg *mail.Msg, cert *x509.Certificate) (*mail.Msg, error) {
	var raw bytes.Buffer
	if _, err := msg.WriteTo(&raw); err != nil {
		return nil, err
	}
	parsed, err := netmail.ReadMessage(&raw)
	if err != nil {
		return nil, err
	}
	var inner bytes.Buffer
	for _, h := range []string{"Content-Type", "Content-Transfer-Encoding", "Content-Disposition"} {
		if v := parsed.Header.Get(h); v != "" {
			fmt.Fprintf(&inner, "%s: %s\r\n", h, v)
		}
	}
	inner.WriteString("\r\n")
	if _, err := io.Copy(&inner, parsed.Body); err != nil {
		return nil, err
	}
	der, err := pkcs7.Encrypt(inner.Bytes(), []*x509.Certificate{cert})
	if err != nil {
		return nil, fmt.Errorf("S/MIME encryption: %w", err)
	}
	out := mail.NewMsg()
	for _, h := range []mail.AddrHeader{mail.HeaderFrom, mail.HeaderTo, mail.HeaderCc} {
		if addrs := msg.GetAddrHeaderString(h); len(addrs) > 0 {
			if err := out.SetAddrHeader(h, addrs...); err != nil {
				return nil, err
			}
		}
	}
	for _, h := range []mail.Header{mail.HeaderSubject, mail.HeaderDate} {
		if v := msg.GetGenHeader(h); len(v) > 0 {
			out.SetGenHeader(h, v...)
		}
	}
	out.SetMessageIDWithValue(strings.Trim(msg.GetMessageID(), "<>"))
	out.SetBodyString(mail.ContentType(`application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"`), string(der),
		mail.WithPartEncoding(mail.EncodingB64))
	return out, nil
}
