package omsdcli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
	"github.com/omsd/omsd/pdf"
)

// processRun writes cfgYAML and a mail run of o as run.pdf into a new
// directory and runs `omsd process --json` on it with extra flags.
type processEnv struct {
	t   *testing.T
	dir string
	o   pdftest.Options
}

func newProcessEnv(t *testing.T, cfgYAML string, o pdftest.Options) *processEnv {
	t.Helper()
	dir := t.TempDir()
	cfg := "version: 1\nstate_dir: " + filepath.Join(dir, "data") + "\nlog: {format: json, level: warn}\n" + cfgYAML
	if err := os.WriteFile(filepath.Join(dir, "omsd.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := pdftest.WriteFile(filepath.Join(dir, "run.pdf"), o); err != nil {
		t.Fatal(err)
	}
	return &processEnv{t: t, dir: dir, o: o}
}

// run runs omsd process and returns its result and error.
func (e *processEnv) run(flags ...string) (processResult, string, error) {
	e.t.Helper()
	var stdout, stderr bytes.Buffer
	args := append([]string{"--config", filepath.Join(e.dir, "omsd.yaml"), "--json"}, flags...)
	err := runProcess(context.Background(), append(args, filepath.Join(e.dir, "run.pdf")), &stdout, &stderr)
	var res processResult
	if jerr := json.Unmarshal(stdout.Bytes(), &res); jerr != nil {
		e.t.Fatalf("omsd process --json: %v\n%s\n%s", jerr, stdout.String(), stderr.String())
	}
	return res, stderr.String(), err
}

func (e *processEnv) files(sub string) []string {
	e.t.Helper()
	fs, _ := filepath.Glob(filepath.Join(e.dir, "data", sub, "*"))
	return fs
}

// letters is a mail run of n letters of 1 to 3 pages with bookmarks.
func letters(n int) pdftest.Options {
	o := pdftest.Options{Bookmarks: true, Title: func(i int) string { return fmt.Sprintf("%s Customer %d", pdftest.Account(i), i+1) }}
	for i := range n {
		o.Pieces = append(o.Pieces, 1+i%3)
	}
	return o
}

// TestProcessPool: omsd process sends to a pool as the daemon does: the
// member that cannot print the format gets nothing, the output is cut
// into chunks of at most chunk_sheets, spread over the members that can.
func TestProcessPool(t *testing.T) {
	e := newProcessEnv(t, `printers:
  - {name: afp1, driver: file, file: {dir: afp1}, capabilities: {formats: [application/vnd.ibm.modcap]}}
  - {name: laser1, driver: file, file: {dir: laser1}}
  - {name: laser2, driver: file, file: {dir: laser2}}
pools:
  - {name: pool1, printers: [afp1, laser1, laser2], chunk_sheets: 6}
workflows:
  - {name: letters, printer: pool1, pieces: {method: bookmarks}}
`, letters(20)) // 40 sheets
	res, stderr, err := e.run()
	if err != nil {
		t.Fatalf("omsd process: %v\n%s", err, stderr)
	}
	if got := e.files("afp1"); len(got) != 0 {
		t.Errorf("the AFP-only member got %v", got)
	}
	l1, l2 := e.files("laser1"), e.files("laser2")
	if len(l1) == 0 || len(l2) == 0 || len(l1)+len(l2) != len(res.Outputs) {
		t.Errorf("laser1 has %d files, laser2 %d; the run has %d outputs: want all, on both", len(l1), len(l2), len(res.Outputs))
	}
	pages, pieces := 0, 0
	for _, o := range res.Outputs {
		if o.Sheets > 6 || !strings.HasPrefix(o.Name, "main.") || o.Outcome != "ok" {
			t.Errorf("output %+v: want a chunk main.N of at most 6 sheets, printed", o)
		}
		if _, err := os.Stat(o.Path); err != nil {
			t.Errorf("output %s on %s: %v", o.Name, o.Printer, err)
		}
		pages, pieces = pages+o.Pages, pieces+o.Pieces
	}
	if len(res.Outputs) < 7 || pages != e.o.PageCount() || pieces != 20 {
		t.Errorf("%d chunks of %d pages and %d pieces; want at least 7 chunks of all %d pages and 20 pieces", len(res.Outputs), pages, pieces, e.o.PageCount())
	}
}

// TestProcessPoolNoMember: a pool none of whose members can print the
// output is an error that names each member and why.
func TestProcessPoolNoMember(t *testing.T) {
	e := newProcessEnv(t, `printers:
  - {name: simplex1, driver: file, file: {dir: s1}, capabilities: {duplex: false}}
pools:
  - {name: pool1, printers: [simplex1]}
workflows:
  - {name: letters, printer: pool1, duplex: true, pieces: {method: bookmarks}}
`, letters(3))
	_, _, err := e.run()
	if err == nil || !strings.Contains(err.Error(), "simplex1: cannot print application/pdf, duplex") {
		t.Errorf("omsd process: %v; want the member and why it cannot print", err)
	}
}

// TestProcessNeverOverwrites: each run writes outputs of its own names,
// and a file of the name a run would write is refused unless --force.
func TestProcessNeverOverwrites(t *testing.T) {
	e := newProcessEnv(t, "printers:\n  - {name: file, driver: file, file: {dir: out}}\nworkflows:\n  - {name: letters, printer: file, pieces: {method: bookmarks}}\n", letters(4))
	first, _, err := e.run()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(first.Outputs[0].Path)
	second, _, err := e.run()
	if err != nil {
		t.Fatal(err)
	}
	if second.Run <= first.Run || second.Outputs[0].Path == first.Outputs[0].Path || len(e.files("out")) != 2 {
		t.Fatalf("runs %d and %d wrote %s and %s; out holds %v: want two runs, two files", first.Run, second.Run,
			first.Outputs[0].Path, second.Outputs[0].Path, e.files("out"))
	}
	if after, _ := os.ReadFile(first.Outputs[0].Path); !bytes.Equal(before, after) {
		t.Error("the second run changed the first run's output")
	}
	// A file of the next run's name is there (the run number was reset).
	next := filepath.Join(e.dir, "data", "out", strconv.FormatInt(second.Run+1, 10)+"-run.pdf")
	os.WriteFile(next, []byte("earlier output"), 0o644)
	if _, _, err := e.run(); err == nil || !strings.Contains(err.Error(), next) || !strings.Contains(err.Error(), "--force") {
		t.Errorf("a run onto an existing output: %v; want it refused naming the file and --force", err)
	}
	if b, _ := os.ReadFile(next); string(b) != "earlier output" {
		t.Error("the refused run replaced the file")
	}
	os.WriteFile(filepath.Join(e.dir, "data", runIDFile), []byte(strconv.FormatInt(second.Run, 10)), 0o644)
	if _, _, err := e.run("--force"); err != nil {
		t.Errorf("--force: %v", err)
	}
}

// TestProcessMarksCarryRunID: the marks of a process run carry its number
// as the job ID, and its outputs count the blank backs the marks add.
func TestProcessMarksCarryRunID(t *testing.T) {
	e := newProcessEnv(t, "printers:\n  - {name: file, driver: file, file: {dir: out}}\n"+
		"workflows:\n  - {name: letters, printer: file, duplex: true, pieces: {method: bookmarks}, marks: {profile: datamatrix-fbp}}\n", letters(3))
	res, stderr, err := e.run()
	if err != nil {
		t.Fatalf("omsd process: %v\n%s", err, stderr)
	}
	out := res.Outputs[0]
	doc, err := pdf.Open(out.Path)
	if err != nil {
		t.Fatal(err)
	}
	if out.Pages != doc.PageCount() || out.Pages != e.o.PageCount()+2 || res.PagesOut != out.Pages {
		t.Errorf("output pages %d; the file has %d, the input %d with 2 pieces of odd pages", out.Pages, doc.PageCount(), e.o.PageCount())
	}
	cfg, err := config.Load(filepath.Join(e.dir, "omsd.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	wf, _ := cfg.Workflow("letters")
	p := wf.Marks.Loaded()
	views, err := markread.Camera{Profile: p}.Views(&marks.SheetMarks{Barcode: strings.Repeat("0", 34)})
	if err != nil || len(views) != 1 {
		t.Fatalf("views %v, %v", views, err)
	}
	ims, err := markread.Render(out.Path, views[0], p.Page().H, markread.Pages{First: 1, Last: 1})
	if err != nil {
		t.Fatal(err)
	}
	texts, err := markread.DataMatrix(ims)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%010d", res.Run); len(texts) != 1 || !strings.HasPrefix(texts[0], want) {
		t.Errorf("the first sheet's Data Matrix reads %q; want the job ID %s first", texts, want)
	}
}

// TestRunIDsOfConcurrentRuns: runs numbered at once, in the same second,
// get numbers of their own.
func TestRunIDsOfConcurrentRuns(t *testing.T) {
	cfg := config.Default()
	cfg.StateDir = t.TempDir()
	now := time.Now()
	ids := make(chan int64, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			id, err := nextRunID(cfg, now)
			if err != nil {
				t.Error(err)
			}
			ids <- id
		})
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("run number %d given twice", id)
		}
		seen[id] = true
	}
}

// resetPeer accepts connections and resets each that brings data, as a
// printer that is reachable but fails every job.
func resetPeer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				if n, _ := c.Read(make([]byte, 1)); n > 0 {
					c.(*net.TCPConn).SetLinger(0)
				}
				c.Close()
			}()
		}
	}()
	return ln.Addr().String()
}

// TestProcessPoolFailover: an output a pool member fails goes to the next
// member, and the summary warns that what the failed member printed of it
// is printed again.
func TestProcessPoolFailover(t *testing.T) {
	host, port, _ := net.SplitHostPort(resetPeer(t))
	e := newProcessEnv(t, `printers:
  - {name: jet1, driver: socket, socket: {host: `+host+`, port: `+port+`, connect_timeout: 2s, write_timeout: 2s, wait_close: 2s}}
  - {name: file1, driver: file, file: {dir: f1}}
pools:
  - {name: pool1, printers: [jet1, file1]}
workflows:
  - {name: letters, printer: pool1, pieces: {method: bookmarks}}
`, letters(3))
	res, stderr, err := e.run()
	if err != nil {
		t.Fatalf("omsd process: %v\n%s", err, stderr)
	}
	if len(res.Outputs) != 1 || res.Outputs[0].Printer != "file1" || len(e.files("f1")) != 1 {
		t.Errorf("outputs %+v, f1 holds %v; want the output on file1", res.Outputs, e.files("f1"))
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "failed on jet1") || !strings.Contains(res.Warnings[0], "printed again") {
		t.Errorf("warnings %q; want one saying the output failed on jet1 and is printed again", res.Warnings)
	}
}
