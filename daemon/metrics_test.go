package daemon

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestReloadKeepsMetrics: a reload that moves metrics.listen closes the
// old listener and opens the new one, and the counters go on from where
// they were: the job printed before the reload is still counted.
func TestReloadKeepsMetrics(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "omsd.yaml")
	freePort := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	first, second := freePort(), freePort()
	write := func(addr string) {
		cfg := fmt.Sprintf(`version: 1
state_dir: %s/state
printers:
  - {name: file, driver: file, file: {dir: out}}
workflows:
  - {name: default, printer: file, pieces: {method: whole}}
metrics: {listen: %q}
`, dir, addr)
		if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(first)
	_, hup, c := runReloadable(t, path)
	pieces := func(addr string) float64 {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			return -1
		}
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), `omsd_pieces_total{state="completed",workflow="default"} `); ok {
				f, _ := strconv.ParseFloat(v, 64)
				return f
			}
		}
		return 0
	}
	waitUntil(t, "the metrics listener on "+first+" and the API", func() bool {
		_, err := c.Status(t.Context())
		return err == nil && pieces(first) >= 0
	})
	id := submit(t, c, "a.pdf", "default")
	waitUntil(t, "the job counted", func() bool { return pieces(first) == 1 })
	write(second)
	hup <- os.Interrupt
	waitUntil(t, "the metrics listener moved to "+second, func() bool { return pieces(second) >= 0 })
	if got := pieces(second); got != 1 {
		t.Errorf("after the reload job %d's piece counts %v; want 1 (the counters go on)", id, got)
	}
	if pieces(first) >= 0 {
		t.Errorf("the old metrics listener %s still answers", first)
	}
}
