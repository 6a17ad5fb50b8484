package e2e

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/testpeer"
)

// TestIPPIntakeTLS: with tls.enabled and no certificate configured, omsd
// makes a self-signed one on first start, logs its fingerprint, serves
// ipps:// with it (ipptool prints over it), and keeps it across restarts.
func TestIPPIntakeTLS(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	d := startDaemon(t, ippIntakeConfig(port, "    tls: {enabled: true}\n"))
	fp := regexp.MustCompile(`"sha256":"([0-9A-F:]{95})"`)
	var logged string
	waitFor(t, time.Minute, "the certificate's fingerprint in the log", func() bool {
		m := fp.FindStringSubmatch(d.log())
		if m != nil {
			logged = m[1]
		}
		return m != nil
	})
	if st, err := os.Stat(d.path("ipp", "key.pem")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", st.Mode(), err)
	}
	conn, err := tls.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatalf("TLS to omsd: %v", err)
	}
	sum := sha256.Sum256(conn.ConnectionState().PeerCertificates[0].Raw)
	conn.Close()
	if got := strings.ToUpper(hex.EncodeToString(sum[:])); strings.ReplaceAll(logged, ":", "") != got {
		t.Errorf("served certificate %s, logged fingerprint %s", got, logged)
	}

	dir := ipptoolDir(t)
	pdf := filepath.Join(dir, "job.pdf")
	writeFile(t, pdf, testpeer.PDF(1))
	uri := fmt.Sprintf("ipps://localhost:%d/ipp/print/default", port)
	if got := ipptool(t, dir, uri, pdf, "print-job.test"); got.passed != 1 {
		t.Errorf("ipptool over ipps: %v\n%s", got, got.out)
	}
	d.waitJobs(1, time.Minute)

	d.stop()
	d.start()
	waitFor(t, time.Minute, "the fingerprint logged again", func() bool { return strings.Count(d.log(), logged) > 0 })
	if !strings.Contains(d.log(), `"self_signed":true`) || strings.Count(d.log(), logged) != 1 {
		t.Errorf("after a restart omsd logged another certificate:\n%s", d.log())
	}
}
