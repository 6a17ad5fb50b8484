package e2e

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const uploadLimitConfig = `version: 1
api: {max_upload: 1MiB}
printers:
  - {name: out, driver: file, file: {dir: out}}
workflows:
  - {name: mail, printer: out, pieces: {method: whole}}
`

// TestSubmitOverLimit: a submit over api.max_upload is refused, by omsctl
// with what to do next and by a raw upload of unknown length with 413;
// neither leaves a job or a file behind, and a file under the limit is
// taken.
func TestSubmitOverLimit(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, uploadLimitConfig)
	big := filepath.Join(d.dir, "big.pdf")
	if err := os.WriteFile(big, make([]byte, 3<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := d.ctlErr("submit", big)
	if err == nil {
		t.Fatalf("omsctl submit of 3 MiB over a 1 MiB limit succeeded: %s", out)
	}
	for _, want := range []string{"1 MiB (api.max_upload)", "raise api.max_upload", "hot folder"} {
		if !strings.Contains(out, want) {
			t.Errorf("omsctl submit output lacks %q:\n%s", want, out)
		}
	}
	if code := rawUpload(t, d.socket(), 3<<20); code != http.StatusRequestEntityTooLarge {
		t.Errorf("raw upload of unknown length: HTTP %d, want 413", code)
	}
	if jobs := d.jobs(); len(jobs) != 0 {
		t.Errorf("refused uploads left jobs: %+v", jobs)
	}
	if left, _ := filepath.Glob(d.path("spool", "uploads", "*")); len(left) != 0 {
		t.Errorf("refused uploads left files: %v", left)
	}
	if left, _ := filepath.Glob(d.path("spool", "jobs", "*")); len(left) != 0 {
		t.Errorf("refused uploads left job directories: %v", left)
	}
	small := filepath.Join(d.dir, "small.pdf")
	if err := os.WriteFile(small, pdfBytes(t, twentyPieces(false)), 0o644); err != nil {
		t.Fatal(err)
	}
	d.ctl("submit", small)
	if jobs := d.waitJobs(1, 60*time.Second); jobs[0].State != "completed" {
		t.Errorf("job under the limit: %+v", jobs[0])
	}
}

// rawUpload posts n bytes of unknown length (chunked) to the submit
// endpoint and returns the status, or 0 if the daemon cut the connection
// without an answer.
func rawUpload(t *testing.T, sock string, n int) int {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", sock)
	}}}
	defer hc.CloseIdleConnections()
	body := io.MultiReader(strings.NewReader(strings.Repeat("%", n)))
	req, err := http.NewRequest("POST", "http://omsd/v1/jobs?name=raw.pdf", body)
	if err != nil {
		t.Fatal(err)
	}
	res, err := hc.Do(req)
	if err != nil {
		t.Logf("raw upload: %v", err)
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}
