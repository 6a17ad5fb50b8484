package file

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

func TestOutputName(t *testing.T) {
	long := strings.Repeat("ä", 150) // 300 bytes
	tests := []struct {
		name, docName, format, want string
	}{
		{"plain pdf", "letter.pdf", "application/pdf", "7-letter.pdf"},
		{"adds pdf extension", "letter", "application/pdf", "7-letter.pdf"},
		{"extension any case", "LETTER.PDF", "application/pdf", "7-LETTER.PDF"},
		{"format parameters", "run", "Application/PDF; version=1.7", "7-run.pdf"},
		{"afp", "run 1", "application/vnd.ibm.modcap", "7-run_1.afp"},
		{"afp present", "run.afp", "application/vnd.ibm.modcap", "7-run.afp"},
		{"octet-stream keeps name", "run.bin", "application/octet-stream", "7-run.bin"},
		{"no format", "run", "", "7-run"},
		{"slashes", "../../etc/passwd", "", "7-.._.._etc_passwd"},
		{"non-ASCII letters kept", "Brief für Müller", "application/pdf", "7-Brief_für_Müller.pdf"},
		{"other scripts kept", "請求書-2024", "", "7-請求書-2024"},
		{"symbols replaced", "a*b?c:d<e>|f\"g", "", "7-a_b_c_d_e__f_g"},
		{"emoji replaced", "hi😀", "", "7-hi_"},
		{"control chars", "a\nb\x00c", "", "7-a_b_c"},
		{"invalid utf-8", "a\xffb", "", "7-a_b"},
		{"empty", "", "application/pdf", "7-document.pdf"},
		{"long name cut", long, "", "7-" + strings.Repeat("ä", 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OutputName(drivers.Document{JobID: 7, Name: tt.docName, Format: tt.format})
			if got != tt.want {
				t.Errorf("OutputName(%q, %q) = %q, want %q", tt.docName, tt.format, got, tt.want)
			}
		})
	}
}

// writeDoc writes data as a document file and returns its path.
func writeDoc(t *testing.T, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// listDir returns the names in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestSendWritesAndReplaces(t *testing.T) {
	dir := t.TempDir()
	d := New(dir, zerolog.Nop())
	for _, data := range [][]byte{
		bytes.Repeat([]byte("first "), 200_000), // several chunks
		[]byte("second, shorter"),
	} {
		doc := drivers.Document{JobID: 42, Path: writeDoc(t, data), Name: "run", Format: "application/pdf", Sheets: 10}
		var reports []drivers.Progress
		out, err := d.Send(context.Background(), doc, func(p drivers.Progress) { reports = append(reports, p) })
		if out != drivers.OK || err != nil {
			t.Fatalf("Send = %v, %v; want ok", out, err)
		}
		if names := listDir(t, dir); len(names) != 1 || names[0] != "42-run.pdf" {
			t.Fatalf("directory holds %v, want only 42-run.pdf", names)
		}
		got, err := os.ReadFile(filepath.Join(dir, "42-run.pdf"))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("output differs from input (%d vs %d bytes, err %v)", len(got), len(data), err)
		}
		checkProgress(t, reports, 10)
	}
}

// checkProgress checks reports never go back and end with all sheets done.
func checkProgress(t *testing.T, reports []drivers.Progress, sheets int) {
	t.Helper()
	if len(reports) == 0 {
		t.Fatal("no progress reported")
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].SheetsDone < reports[i-1].SheetsDone {
			t.Errorf("progress went back: %+v", reports)
		}
	}
	if last := reports[len(reports)-1]; last.SheetsDone != sheets || last.Sheets != sheets {
		t.Errorf("last progress %+v, want %d of %d sheets", last, sheets, sheets)
	}
}

func TestSendCancelLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	d := New(dir, zerolog.Nop())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	data := bytes.Repeat([]byte{'x'}, 4*chunkSize)
	doc := drivers.Document{JobID: 1, Path: writeDoc(t, data), Name: "big", Format: "application/pdf", Sheets: 100}
	var reports int
	out, err := d.Send(ctx, doc, func(drivers.Progress) { reports++; cancel() })
	if out != drivers.Cancel || !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, %v; want cancel with context.Canceled", out, err)
	}
	if reports != 1 {
		t.Errorf("%d progress reports, want 1 before the cancel took effect", reports)
	}
	if names := listDir(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v after cancel, want nothing", names)
	}
}

func TestSendErrors(t *testing.T) {
	base := t.TempDir()
	notDir := filepath.Join(base, "plain")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	goodDoc := writeDoc(t, []byte("%PDF-1.4"))
	tests := []struct {
		name    string
		dir     string
		path    string
		want    drivers.Outcome
		wantErr error
	}{
		{"missing dir", filepath.Join(base, "nope"), goodDoc, drivers.StopQueue, ErrOutputDir},
		{"dir is a file", notDir, goodDoc, drivers.StopQueue, ErrOutputDir},
		{"missing source", base, filepath.Join(base, "gone.pdf"), drivers.Failed, fs.ErrNotExist},
		{"source is a directory", base, base, drivers.Failed, ErrSource},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := drivers.Document{JobID: 3, Path: tt.path, Name: "x", Format: "application/pdf", Sheets: 1}
			out, err := New(tt.dir, zerolog.Nop()).Send(context.Background(), doc, nil)
			if out != tt.want || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Send = %v, %v; want %v wrapping %v", out, err, tt.want, tt.wantErr)
			}
			if _, err := os.Stat(filepath.Join(base, "3-x.pdf")); err == nil {
				t.Errorf("output written despite the error")
			}
		})
	}
}

func TestStatus(t *testing.T) {
	base := t.TempDir()
	notDir := filepath.Join(base, "plain")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		dir       string
		state     string
		accepting bool
		info      string
	}{
		{"writable dir", base, "idle", true, base},
		{"missing dir", filepath.Join(base, "nope"), "stopped", false, "no such file or directory"},
		{"not a dir", notDir, "stopped", false, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := New(tt.dir, zerolog.Nop()).Status(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if st.State != tt.state || st.AcceptingJobs != tt.accepting || !strings.Contains(st.Info, tt.info) {
				t.Errorf("Status = %+v, want state %s, accepting %v, info with %q", st, tt.state, tt.accepting, tt.info)
			}
			if !tt.accepting && (len(st.Reasons) != 1 || st.Reasons[0] != "other") {
				t.Errorf("reasons = %v, want [other]", st.Reasons)
			}
		})
	}
}

func TestSendLinks(t *testing.T) {
	dir := t.TempDir()
	d := New(dir, zerolog.Nop())
	d.Link = true
	for _, data := range [][]byte{[]byte("first version"), []byte("second")} {
		doc := drivers.Document{JobID: 9, Path: writeDoc(t, data), Name: "run", Format: "application/pdf", Sheets: 3}
		var reports []drivers.Progress
		out, err := d.Send(context.Background(), doc, func(p drivers.Progress) { reports = append(reports, p) })
		if out != drivers.OK || err != nil {
			t.Fatalf("Send = %v, %v; want ok", out, err)
		}
		if names := listDir(t, dir); len(names) != 1 || names[0] != "9-run.pdf" {
			t.Fatalf("directory holds %v, want only 9-run.pdf", names)
		}
		src, _ := os.Stat(doc.Path)
		dst, err := os.Stat(filepath.Join(dir, "9-run.pdf"))
		if err != nil || !os.SameFile(src, dst) {
			t.Fatalf("output is not a link of the document (err %v)", err)
		}
		checkProgress(t, reports, 3)
	}
}

func TestSendLinkCanceled(t *testing.T) {
	dir := t.TempDir()
	d := New(dir, zerolog.Nop())
	d.Link = true
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	doc := drivers.Document{JobID: 9, Path: writeDoc(t, []byte("x")), Name: "run", Format: "application/pdf"}
	if out, err := d.Send(ctx, doc, nil); out != drivers.Cancel {
		t.Fatalf("Send = %v, %v; want cancel", out, err)
	}
	if names := listDir(t, dir); len(names) != 0 {
		t.Fatalf("directory holds %v after a cancel", names)
	}
}

// TestWriteChecksSize has the document end before its size: the output is
// not complete, so it is neither OK nor left behind.
func TestWriteChecksSize(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "1-doc.pdf")
	w := &writer{ctx: context.Background(), doc: drivers.Document{JobID: 1, Sheets: 2}, size: 10, progress: func(drivers.Progress) {}}
	if err := w.write(strings.NewReader("abc"), out); !errors.Is(err, ErrSource) {
		t.Fatalf("write of 3 bytes of a 10-byte document: %v, want ErrSource", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %v behind", entries)
	}
	if outcomeFor(context.Background(), ErrSource) == drivers.OK {
		t.Errorf("a short source is OK")
	}
}
