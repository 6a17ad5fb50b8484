package e2e

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/testpeer"
)

// TestLPRAndSocketPrinters sends jobs through omsd to a real LPRng lpd and
// a real raw socket port, each from its own hot folder.
func TestLPRAndSocketPrinters(t *testing.T) {
	t.Parallel()
	lpd := testpeer.StartLPD(t)
	sock := testpeer.StartSocketPeer(t)
	d := startDaemon(t, fmt.Sprintf(`version: 1
printers:
  - name: lpd
    driver: lpr
    lpr: {host: %s, port: %d, queue: %s}
  - name: raw
    driver: socket
    socket: {host: %s, port: %d, wait_close: 2s}
workflows:
  - {name: tolpd, printer: lpd}
  - {name: toraw, printer: raw}
hot_folders:
  - {dir: hot/lpd, workflow: tolpd, scan_interval: 200ms}
  - {dir: hot/raw, workflow: toraw, scan_interval: 200ms}
`, lpd.Host, lpd.Port, testpeer.LPDQueue, sock.Host, sock.Port))
	data := pdfBytes(t, twentyPieces(true))
	drop(t, d.path("hot", "lpd"), "to-lpd.pdf", data)
	drop(t, d.path("hot", "raw"), "to-raw.pdf", data)

	jobs := d.waitJobs(2, 60*time.Second)
	for _, j := range jobs {
		if j.State != "completed" {
			t.Errorf("job %d (%s) on %s: %s %v %s", j.ID, j.Name, j.Printer, j.State, j.StateReasons, j.Message)
		}
	}
	for name, files := range map[string][]string{"lpd": lpd.WaitJobs(t, 1), "socket": sock.WaitJobs(t, 1)} {
		if len(files) != 1 {
			t.Errorf("%s received %d jobs; want 1", name, len(files))
			continue
		}
		got, err := os.ReadFile(files[0])
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s received %d bytes, not the %d sent (err %v)", name, len(got), len(data), err)
		}
	}
}
