package testpeer

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPDFIsValid checks the generated PDF with qpdf and pdfinfo.
func TestPDFIsValid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, PDF(3), 0o644); err != nil {
		t.Fatal(err)
	}
	qpdf := lookTool(t, "qpdf", "qpdf")
	if out, err := exec.Command(qpdf, "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	pdfinfo := lookTool(t, "pdfinfo", "poppler-utils")
	out, err := exec.Command(pdfinfo, path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Pages:           3") {
		t.Errorf("pdfinfo does not report 3 pages:\n%s", out)
	}
}

// TestIPPPrinterKeepsJobs prints with ipptool, an independent IPP client,
// and checks the printer kept the document byte for byte.
func TestIPPPrinterKeepsJobs(t *testing.T) {
	p := StartIPPPrinter(t)
	doc := filepath.Join(t.TempDir(), "letter.pdf")
	data := PDF(2)
	if err := os.WriteFile(doc, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ipptool := lookTool(t, "ipptool", "cups-ipp-utils")
	for range 2 {
		// The printer takes one job at a time and answers server-error-busy
		// while the last still prints (on a busy machine, the first job
		// when the second comes): sent again once it is done, as CUPS does.
		deadline := time.Now().Add(30 * time.Second)
		for {
			out, err := exec.Command(ipptool, "-t", "-f", doc, p.URI, "print-job.test").CombinedOutput()
			if err == nil {
				break
			}
			if !strings.Contains(string(out), "server-error-busy") || time.Now().After(deadline) {
				t.Fatalf("ipptool print-job: %v\n%s", err, out)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	jobs := p.WaitJobs(t, 2)
	if len(jobs) != 2 || !strings.HasPrefix(filepath.Base(jobs[0]), "1-") || !strings.HasPrefix(filepath.Base(jobs[1]), "2-") {
		t.Fatalf("jobs = %v, want job 1 and 2", jobs)
	}
	for _, j := range jobs {
		got, err := os.ReadFile(j)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s: %d bytes differ from the %d sent", j, len(got), len(data))
		}
	}
}

// TestIPPPrinterStopRestart checks Stop makes the port refuse connections
// and Restart brings the printer back on the same port.
func TestIPPPrinterStopRestart(t *testing.T) {
	p := StartIPPPrinter(t)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(p.Port))
	p.Stop()
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatalf("printer still answers on %s after Stop", addr)
	}
	p.Restart(t)
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatalf("printer does not answer after Restart: %v", err)
	}
	c.Close()
}

// TestIPPPrinterTLS checks the printer presents CertFile on ipps.
func TestIPPPrinterTLS(t *testing.T) {
	p := StartIPPPrinter(t)
	pem, err := os.ReadFile(p.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in %s", p.CertFile)
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	conn, err := tls.DialWithDialer(dialer, "tcp", net.JoinHostPort("localhost", strconv.Itoa(p.Port)),
		&tls.Config{RootCAs: roots, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("TLS handshake with the printer's own certificate: %v", err)
	}
	conn.Close()
}

// TestFreePortNeverRepeats: tests running in parallel ask for ports at the
// same time and bind them later; no two calls may return the same port
// (the kernel, asked for any free port, returns a closed one again soon).
func TestFreePortNeverRepeats(t *testing.T) {
	const n = 2000
	ports := make(chan int, n)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range n / 8 {
				ports <- FreePort(t)
			}
		})
	}
	wg.Wait()
	close(ports)
	seen := make(map[int]bool, n)
	for p := range ports {
		if seen[p] {
			t.Fatalf("FreePort returned port %d twice", p)
		}
		seen[p] = true
	}
}
