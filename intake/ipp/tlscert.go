package ipp

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/omsd/omsd/atomicfile"
)

// LoadOrCreateCert loads the certificate at certPath/keyPath; when
// generate is true and neither file exists, it first makes a self-signed
// one for host (and localhost) valid ten years, the key readable by its
// owner only. It returns the TLS configuration and the certificate's
// SHA-256 fingerprint, for clients to pin.
func LoadOrCreateCert(certPath, keyPath, host string, generate bool) (*tls.Config, string, error) {
	if generate {
		if _, err := os.Stat(certPath); errors.Is(err, fs.ErrNotExist) {
			if err := writeSelfSigned(certPath, keyPath, host); err != nil {
				return nil, "", err
			}
		}
	}
	cert, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return nil, "", fmt.Errorf("loading the IPP server's certificate: %w", err)
	}
	sum := sha256.Sum256(cert.Certificate[0])
	// No session tickets: CUPS 2.4's GnuTLS client drops a TLS 1.3
	// connection on the NewSessionTicket Go sends after the handshake
	// (ipptool and the ipp backend reconnect without end).
	conf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, SessionTicketsDisabled: true}
	return conf, fingerprint(sum[:]), nil
}

// fingerprint writes a hash as colon-separated upper-case hex.
func fingerprint(sum []byte) string {
	h := strings.ToUpper(hex.EncodeToString(sum))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

func writeSelfSigned(certPath, keyPath, host string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "omsd IPP server " + host, Organization: []string{"omsd"}},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(10, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost"},
	}
	for _, h := range []string{host, "127.0.0.1", "::1"} {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" && h != "localhost" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(certPath), 0o700); err != nil {
		return err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if _, err := atomicfile.WriteFile(keyPath, bytes.NewReader(keyPEM), 0o600); err != nil {
		return err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	_, err = atomicfile.WriteFile(certPath, bytes.NewReader(certPEM), 0o644)
	return err
}
