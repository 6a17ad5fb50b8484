package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
)

// pagePrinter is an ippeveprinter whose print command "prints" a document
// page by page: it keeps a copy of the document, logs each page as printed
// and then reports it as job-impressions-completed, as a real printer
// reports the sheets it delivered. The log is what the printer printed.
type pagePrinter struct {
	*testpeer.IPPPrinter
	dir string // copies of the documents and printed.log
}

// startPagePrinter starts a pagePrinter that takes delay per page.
func startPagePrinter(t *testing.T, delay string) *pagePrinter {
	t.Helper()
	pdftest.NeedTool(t, "pdfinfo", "poppler-utils")
	dir := t.TempDir()
	script := fmt.Sprintf(`copy=%[1]s/$(date +%%s%%N).pdf
cp "$1" "$copy"
n=$(pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}')
i=0
while [ "$i" -lt "${n:-0}" ]; do
  i=$((i+1))
  echo "$copy $i" >> %[1]s/printed.log
  echo "ATTR: job-impressions-completed=$i" >&2
  sleep %[2]s
done
exit 0`, dir, delay)
	return &pagePrinter{IPPPrinter: testpeer.StartIPPPrinter(t, testpeer.WithScript(script)), dir: dir}
}

// printedLines returns how many pages the printer has printed so far.
func (p *pagePrinter) printedLines() int {
	b, _ := os.ReadFile(filepath.Join(p.dir, "printed.log"))
	return strings.Count(string(b), "\n")
}

// printedPages counts, over printers, how often each page text ("piece i
// page j") was printed.
func printedPages(t *testing.T, printers ...*pagePrinter) map[string]int {
	t.Helper()
	counts := map[string]int{}
	texts := map[string][]string{}
	for _, p := range printers {
		b, err := os.ReadFile(filepath.Join(p.dir, "printed.log"))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			file, page, ok := strings.Cut(line, " ")
			if !ok {
				continue
			}
			if texts[file] == nil {
				texts[file] = pdftest.PageTexts(t, file)
			}
			n, _ := strconv.Atoi(page)
			if n >= 1 && n <= len(texts[file]) {
				counts[texts[file][n-1]]++
			}
		}
	}
	return counts
}

// checkEveryPageOnce fails unless every page of the run o was printed,
// and every page printed more than once belongs to a piece the job
// records as sent more than once.
func checkEveryPageOnce(t *testing.T, o pdftest.Options, counts map[string]int, j api.JobDetail) (twice int) {
	t.Helper()
	for i, pages := range o.Pieces {
		for pg := range pages {
			text := pdftest.PageText(i, pg)
			switch n := counts[text]; {
			case n == 0:
				t.Errorf("%q was never printed", text)
			case n > 1:
				twice++
				if d := j.PiecesDetail[i].Delivery; d == nil || d.Sends < 2 {
					t.Errorf("%q printed %d times but piece %d's delivery is %+v", text, n, i+1, d)
				}
			}
		}
	}
	return twice
}

// manyPieces is a mail run of n letters of 1 to 3 pages, with bookmarks.
func manyPieces(n int) pdftest.Options {
	o := pdftest.Options{Bookmarks: true, Title: func(i int) string { return fmt.Sprintf("%s Customer %d", pdftest.Account(i), i+1) }}
	for i := range n {
		o.Pieces = append(o.Pieces, 1+i%3)
	}
	return o
}

// poolConfig is a configuration with the IPP printers uris in pool
// "room", outputs chunked at chunk sheets, and a hot folder.
func poolConfig(chunk int, policy string, uris ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "version: 1\nlog: {format: json, level: info}\nspool: {retry_delay: 1s}\nprinters:\n")
	var names []string
	for i, u := range uris {
		name := fmt.Sprintf("p%d", i+1)
		names = append(names, name)
		fmt.Fprintf(&b, "  - name: %s\n    driver: ipp\n    ipp: {uri: %q, poll_interval: 100ms}\n    error_policy: %s\n", name, u, policy)
	}
	fmt.Fprintf(&b, "pools:\n  - {name: room, printers: [%s], chunk_sheets: %d}\n", strings.Join(names, ", "), chunk)
	fmt.Fprintf(&b, "workflows:\n  - name: letters\n    printer: room\n    pieces: {method: bookmarks}\n")
	fmt.Fprintf(&b, "hot_folders:\n  - {dir: hot/letters, workflow: letters, scan_interval: 200ms}\n")
	return b.String()
}

// TestPoolChunksInParallelAndFailsOver prints a run cut into chunks on
// three pool members at once; one member is killed while it prints and
// stays down. Its chunks go to the others, and every page is printed.
func TestPoolChunksInParallelAndFailsOver(t *testing.T) {
	t.Parallel()
	printers := []*pagePrinter{startPagePrinter(t, "0.02"), startPagePrinter(t, "0.02"), startPagePrinter(t, "0.02")}
	d := startDaemon(t, poolConfig(12, "{action: retry-job, interval: 300ms, limit: 2, failover_after: 1}",
		printers[0].URI, printers[1].URI, printers[2].URI))
	o := manyPieces(60) // 120 sheets: 10 chunks of at most 12
	drop(t, d.path("hot", "letters"), "run.pdf", pdfBytes(t, o))

	waitFor(t, 30*time.Second, "the third printer to print", func() bool { return printers[2].printedLines() >= 3 })
	printers[2].Stop()
	jobs := d.waitJobs(1, 90*time.Second)
	if jobs[0].State != "completed" {
		t.Fatalf("job %s: %s\n%s", jobs[0].State, jobs[0].Message, d.log())
	}
	j := d.job(jobs[0].ID)
	if len(j.Outputs) < 10 {
		t.Errorf("%d outputs; want the run cut into at least 10 chunks", len(j.Outputs))
	}
	used := map[string]bool{}
	for _, out := range j.Outputs {
		used[out.Printer] = true
		if out.Sheets > 12 {
			t.Errorf("chunk %s has %d sheets; want at most 12", out.Name, out.Sheets)
		}
	}
	if !used["p1"] || !used["p2"] {
		t.Errorf("outputs went to %v; want both live members used", used)
	}
	counts := printedPages(t, printers...)
	twice := checkEveryPageOnce(t, o, counts, j)
	t.Logf("%d pages printed twice (recorded); printers printed %d, %d, %d pages", twice,
		printers[0].printedLines(), printers[1].printedLines(), printers[2].printedLines())
	if !strings.Contains(eventsText(j), "moved from p3") {
		t.Errorf("no event tells that p3's work moved; events:\n%s", eventsText(j))
	}
}

func eventsText(j api.JobDetail) string {
	var b strings.Builder
	for _, e := range j.Events {
		fmt.Fprintf(&b, "%s %s %s\n", e.Type, e.State, e.Message)
	}
	return b.String()
}

// printersJSON returns omsctl printers --json by name.
func (d *daemon) printersJSON() map[string]api.Printer {
	d.t.Helper()
	var ps []api.Printer
	if err := json.Unmarshal([]byte(d.ctl("printers", "--json")), &ps); err != nil {
		d.t.Fatalf("omsctl printers --json: %v", err)
	}
	out := map[string]api.Printer{}
	for _, p := range ps {
		out[p.Name] = p
	}
	return out
}

// TestPrinterControlSurvivesRestart pauses and disables the members of a
// pool, restarts omsd (the states hold), enables one (the work goes
// there), and reorders waiting jobs by priority.
func TestPrinterControlSurvivesRestart(t *testing.T) {
	t.Parallel()
	p1, p2 := startPagePrinter(t, "0.005"), startPagePrinter(t, "0.005")
	d := startDaemon(t, poolConfig(0, "{action: retry-job}", p1.URI, p2.URI))
	d.ctl("printer", "pause", "p1")
	d.ctl("printer", "disable", "p2")
	drop(t, d.path("hot", "letters"), "run1.pdf", pdfBytes(t, manyPieces(4)))
	waitFor(t, 20*time.Second, "the job to be analysed", func() bool { j := d.jobs(); return len(j) == 1 && j[0].Pieces == 4 })
	time.Sleep(1500 * time.Millisecond)
	if n := p1.printedLines() + p2.printedLines(); n != 0 || d.jobs()[0].State != "pending" {
		t.Fatalf("with p1 paused and p2 disabled, %d pages printed and the job is %s", n, d.jobs()[0].State)
	}
	d.stop()
	d.start()
	ps := d.printersJSON()
	if !ps["p1"].Paused || !ps["p2"].Disabled || ps["p1"].Pools[0] != "room" {
		t.Fatalf("after a restart: p1 %+v, p2 %+v; want paused and disabled", ps["p1"], ps["p2"])
	}
	if out := d.ctl("printers"); !strings.Contains(out, "paused") || !strings.Contains(out, "disabled") {
		t.Errorf("omsctl printers:\n%s", out)
	}
	d.ctl("printer", "enable", "p2")
	d.waitJobs(1, 30*time.Second)
	if p1.printedLines() != 0 || p2.printedLines() != 7 {
		t.Errorf("printed %d pages on paused p1 and %d on p2; want 0 and 7", p1.printedLines(), p2.printedLines())
	}

	d.ctl("printer", "drain", "p2") // idle: paused at once
	if !d.printersJSON()["p2"].Paused {
		t.Fatalf("a drained idle printer is not paused")
	}
	drop(t, d.path("hot", "letters"), "run2.pdf", pdfBytes(t, manyPieces(3))) // 6 pages
	drop(t, d.path("hot", "letters"), "run3.pdf", pdfBytes(t, manyPieces(5))) // 9 pages
	waitFor(t, 20*time.Second, "both jobs analysed", func() bool {
		j := d.jobs()
		return len(j) == 3 && j[1].Pieces > 0 && j[2].Pieces > 0
	})
	d.ctl("job", "priority", fmt.Sprint(d.jobs()[2].ID), "10")
	d.ctl("printer", "resume", "p2")
	d.waitJobs(3, 30*time.Second)
	copies, _ := filepath.Glob(filepath.Join(p2.dir, "*.pdf"))
	if len(copies) != 3 || pdfPages(t, copies[1]) != 9 || pdfPages(t, copies[2]) != 6 {
		t.Errorf("p2 printed %d documents; want run1, then run3 (priority 10, 9 pages), then run2 (6 pages)", len(copies))
	}
}

// pageTally counts the pages of run o as the printers' counts say they
// were printed: all printings, pages never printed, pages printed more
// than once.
func pageTally(o pdftest.Options, counts map[string]int) (printed, lost, twice int) {
	for i, pages := range o.Pieces {
		for pg := range pages {
			n := counts[pdftest.PageText(i, pg)]
			printed += n
			switch {
			case n == 0:
				lost++
			case n > 1:
				twice++
			}
		}
	}
	return printed, lost, twice
}

// waitPrintedAll waits until the printer printed every page of every
// document it got: it finishes what it took even when omsd was killed.
func (p *pagePrinter) waitPrintedAll(t *testing.T) {
	t.Helper()
	want := 0
	for _, doc := range p.Jobs(t) {
		want += pdfPages(t, doc)
	}
	waitFor(t, 60*time.Second, fmt.Sprintf("the printer to print the %d pages it got", want), func() bool { return p.printedLines() >= want })
}
