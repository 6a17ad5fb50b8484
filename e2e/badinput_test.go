package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const fileConfig = `version: 1
log: {format: json, level: info}
printers:
  - name: out
    driver: file
    file: {dir: out}
workflows:
  - name: letters
    printer: out
hot_folders:
  - dir: hot/letters
    workflow: letters
    scan_interval: 200ms
`

// TestBadInputGoesToErrorFolder drops bad files between good ones: each bad
// one ends in the error folder with its reason, and every good one prints.
func TestBadInputGoesToErrorFolder(t *testing.T) {
	t.Parallel()
	// A file counts as complete after 10 unchanged scans (2 s less slack),
	// far longer than the slow writer's pauses below even when the other
	// tests keep the machine busy; with 2 scans (0.35 s) a writer delayed
	// by the load once had its file taken half written.
	d := startDaemon(t, strings.Replace(fileConfig, "    scan_interval: 200ms\n", "    scan_interval: 200ms\n    stable_scans: 10\n", 1))
	hot := d.path("hot", "letters")
	o := twentyPieces(true)
	good := pdfBytes(t, o)

	drop(t, hot, "good-1.pdf", good)
	drop(t, hot, "empty.pdf", nil)
	drop(t, hot, "truncated.pdf", good[:len(good)/2])
	drop(t, hot, "not-a-pdf.pdf", []byte("%!PS-Adobe-3.0\nthis is PostScript\n"))
	drop(t, hot, "past-end.json", []byte(`{"pieces":[{"first_page":1,"pages":40}]}`))
	drop(t, hot, "past-end.pdf", good)
	drop(t, hot, "Rechnung Müller März.pdf", good)

	// A file appended to slowly must only be taken once complete.
	slow := filepath.Join(hot, "slow.pdf")
	f, err := os.Create(slow)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(good); i += len(good) / 8 {
		end := min(i+len(good)/8, len(good))
		f.Write(good[i:end])
		f.Sync()
		time.Sleep(300 * time.Millisecond) // longer than a scan interval: scans see the file unchanged
	}
	f.Close()

	jobs := d.waitJobs(7, 60*time.Second)
	state := map[string]string{}
	for _, j := range jobs {
		state[j.Name] = j.State
	}
	want := map[string]string{
		"good-1.pdf": "completed", "Rechnung Müller März.pdf": "completed", "slow.pdf": "completed",
		"empty.pdf": "aborted", "truncated.pdf": "aborted", "not-a-pdf.pdf": "aborted", "past-end.pdf": "aborted",
	}
	for name, st := range want {
		if state[name] != st {
			t.Errorf("%s: state %q; want %q", name, state[name], st)
		}
	}
	if len(jobs) != len(want) {
		t.Errorf("%d jobs; want %d: %v", len(jobs), len(want), state)
	}

	for _, name := range []string{"empty.pdf", "truncated.pdf", "not-a-pdf.pdf", "past-end.pdf"} {
		var rep struct{ Reason, Error, File string }
		b, err := os.ReadFile(d.path("error", name+".error.json"))
		if err != nil {
			t.Errorf("%s: no error report: %v", name, err)
			continue
		}
		if err := json.Unmarshal(b, &rep); err != nil || rep.Reason == "" || rep.Error == "" {
			t.Errorf("%s: error report %s", name, b)
		}
		if _, err := os.Stat(d.path("error", name)); err != nil {
			t.Errorf("%s is not in the error folder: %v", name, err)
		}
	}
	if _, err := os.Stat(d.path("error", "past-end.json")); err != nil {
		t.Errorf("the bad sidecar did not travel with its PDF to the error folder: %v", err)
	}

	outs, _ := filepath.Glob(d.path("out", "*"))
	var names []string
	for _, p := range outs {
		names = append(names, filepath.Base(p))
		if n := pdfPages(t, p); n != o.PageCount() {
			t.Errorf("%s has %d pages; want %d", p, n, o.PageCount())
		}
	}
	slices.Sort(names)
	if len(names) != 3 || !strings.Contains(strings.Join(names, "|"), "Müller") {
		t.Errorf("outputs = %v; want the three good files", names)
	}
	if left, _ := os.ReadDir(hot); len(left) != 0 {
		t.Errorf("files left in the hot folder: %v", left)
	}
	// The slow file was taken whole: its output is byte-identical.
	for _, p := range outs {
		if strings.Contains(p, "slow") {
			if b, _ := os.ReadFile(p); string(b) != string(good) {
				t.Errorf("slow.pdf printed %d bytes; want the complete %d", len(b), len(good))
			}
		}
	}
}
