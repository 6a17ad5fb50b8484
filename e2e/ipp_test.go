package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
)

// ippConfig is a configuration with one IPP printer and one hot folder
// whose workflow finds pieces by method.
func ippConfig(uri, method string) string {
	return fmt.Sprintf(`version: 1
log: {format: json, level: info}
spool: {retry_delay: 1s}
printers:
  - name: laser
    driver: ipp
    ipp: {uri: %q, poll_interval: 200ms}
workflows:
  - name: letters
    printer: laser
    duplex: true
    pieces: {method: %s}
hot_folders:
  - dir: hot/letters
    workflow: letters
    scan_interval: 200ms
`, uri, method)
}

// twentyPieces is a mail run of 20 letters of 1 to 3 pages.
func twentyPieces(bookmarks bool) pdftest.Options {
	o := pdftest.Options{Bookmarks: bookmarks, Title: func(i int) string { return fmt.Sprintf("%s Customer %d", pdftest.Account(i), i+1) }}
	for i := range 20 {
		o.Pieces = append(o.Pieces, 1+i%3)
	}
	return o
}

func pdfBytes(t *testing.T, o pdftest.Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pdftest.Write(&b, o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pdfPages(t *testing.T, path string) int {
	t.Helper()
	bin := pdftest.NeedTool(t, "pdfinfo", "poppler-utils")
	out, err := exec.Command(bin, path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v\n%s", path, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	t.Fatalf("pdfinfo %s printed no page count:\n%s", path, out)
	return 0
}

func TestHotFolderToIPPPrinter(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"sidecar", "bookmarks"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			printer := testpeer.StartIPPPrinter(t)
			d := startDaemon(t, ippConfig(printer.URI, method))
			o := twentyPieces(method == "bookmarks")
			data := pdfBytes(t, o)
			hot := d.path("hot", "letters")
			if method == "sidecar" {
				drop(t, hot, "run-0001.json", pdftest.Sidecar(o))
			}
			drop(t, hot, "run-0001.pdf", data)

			jobs := d.waitJobs(1, 60*time.Second)
			if len(jobs) != 1 || jobs[0].State != "completed" {
				t.Fatalf("jobs = %+v; want one completed job\n%s", jobs, d.log())
			}
			j := d.job(jobs[0].ID)
			if j.Pieces != 20 || j.Pages != o.PageCount() || len(j.PiecesDetail) != 20 {
				t.Errorf("job: pieces %d pages %d detail %d; want 20, %d, 20", j.Pieces, j.Pages, len(j.PiecesDetail), o.PageCount())
			}
			wantSheets := 0
			for _, n := range o.Pieces {
				wantSheets += (n + 1) / 2
			}
			if j.Sheets != wantSheets {
				t.Errorf("sheets = %d; want %d (duplex)", j.Sheets, wantSheets)
			}
			p := j.PiecesDetail[4]
			if p.Seq != 5 || p.Pages != o.Pieces[4] {
				t.Errorf("piece 5 = %+v", p)
			}
			if method == "sidecar" && p.Meta["account"] != pdftest.Account(4) {
				t.Errorf("piece 5 meta = %v; want account %s", p.Meta, pdftest.Account(4))
			}
			if method == "bookmarks" && p.Meta["title"] != o.Title(4) {
				t.Errorf("piece 5 meta = %v; want title %q", p.Meta, o.Title(4))
			}

			got := printer.WaitJobs(t, 1)
			if len(got) != 1 {
				t.Fatalf("printer received %d jobs; want 1", len(got))
			}
			if n := pdfPages(t, got[0]); n != o.PageCount() {
				t.Errorf("printer received %d pages; want %d", n, o.PageCount())
			}
			if texts := pdftest.PageTexts(t, got[0]); strings.Join(texts, "|") != strings.Join(pdftest.ExpectedTexts(o), "|") {
				t.Errorf("printed pages are not the mail run's pages in order")
			}
			if _, err := os.Stat(filepath.Join(hot, "run-0001.pdf")); !os.IsNotExist(err) {
				t.Errorf("the file is still in the hot folder (err %v)", err)
			}
		})
	}
}

func TestPrintersCommand(t *testing.T) {
	t.Parallel()
	printer := testpeer.StartIPPPrinter(t)
	d := startDaemon(t, ippConfig(printer.URI, "auto"))
	out := d.ctl("printers")
	if !strings.Contains(out, "laser") || !strings.Contains(out, "idle") {
		t.Errorf("omsctl printers:\n%s\nwant printer laser, idle", out)
	}
	printer.Stop()
	out = d.ctl("printers", "--json")
	if !strings.Contains(out, `"state": "unknown"`) || !strings.Contains(out, `"error"`) {
		t.Errorf("omsctl printers --json with the printer down:\n%s", out)
	}
}
