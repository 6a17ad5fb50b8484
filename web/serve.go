package web

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"
)

// TLSFiles are the certificate and key the console serves, PEM files. With
// SelfSigned set and the files missing, a self-signed certificate for the
// listen address is made and written there first.
type TLSFiles struct {
	Cert, Key  string
	SelfSigned bool
}

// Serve listens on addr with TLS and serves h until ctx ends.
func Serve(ctx context.Context, addr string, files TLSFiles, h http.Handler, log zerolog.Logger) error {
	if files.SelfSigned {
		if err := ensureSelfSigned(files, addr); err != nil {
			return err
		}
	}
	cert, err := tls.LoadX509KeyPair(files.Cert, files.Key)
	if err != nil {
		return fmt.Errorf("console: certificate %s, key %s: %w (fix console.tls, or remove it for a self-signed certificate)", files.Cert, files.Key, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("console: listen %s: %w (is another program on that port? change console.listen)", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          stdLogger(log),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ServeTLS(ln, "", "") }()
	log.Info().Str("listen", ln.Addr().String()).Msg("console listening")
	select {
	case err := <-errc:
		return fmt.Errorf("console on %s: %w", addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("console on %s: %w", addr, err)
	}
	return nil
}

// ensureSelfSigned writes a self-signed certificate and its key unless the
// certificate exists.
func ensureSelfSigned(files TLSFiles, addr string) error {
	if _, err := os.Stat(files.Cert); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("console: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("console: key: %w", err)
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	host, _, _ := net.SplitHostPort(addr)
	name, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "omsd console " + name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(5, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost", name},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() && !ip.IsLoopback() {
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fmt.Errorf("console: certificate: %w", err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("console: key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(files.Cert), 0o700); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(files.Key), 0o700); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	if err := os.WriteFile(files.Key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	if err := os.WriteFile(files.Cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}

func stdLogger(l zerolog.Logger) *log.Logger {
	return log.New(l.With().Str("component", "console").Logger().Level(zerolog.WarnLevel), "", 0)
}
