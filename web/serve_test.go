package web

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
)

// TestConsoleNotReachableOffLoopback: with listen ":PORT" (no host) the
// console answers on 127.0.0.1 with its self-signed certificate, and not
// on the machine's other addresses.
func TestConsoleNotReachableOffLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	addr := (&config.Console{Listen: fmt.Sprintf(":%d", port)}).ConsoleAddr()
	dir := t.TempDir()
	files := TLSFiles{Cert: filepath.Join(dir, "console", "cert.pem"), Key: filepath.Join(dir, "console", "key.pem"), SelfSigned: true}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "console") })
	go func() { done <- Serve(ctx, addr, files, h, zerolog.Nop()) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := client.Get(fmt.Sprintf("https://127.0.0.1:%d/", port))
		if err == nil {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the console does not answer on loopback: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st, err := os.Stat(files.Key); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("self-signed key: %v, mode %v", err, st.Mode())
	}
	others := 0
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		ip, ok := a.(*net.IPNet)
		if !ok || ip.IP.IsLoopback() || ip.IP.IsLinkLocalUnicast() {
			continue
		}
		others++
		c, err := net.DialTimeout("tcp", net.JoinHostPort(ip.IP.String(), fmt.Sprint(port)), 2*time.Second)
		if err == nil {
			c.Close()
			t.Errorf("the console answers on %s, not loopback, though listen named no host", ip.IP)
		}
	}
	t.Logf("checked %d non-loopback addresses", others)
}
