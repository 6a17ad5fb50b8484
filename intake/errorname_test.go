package intake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/omsd/omsd/intake/hotfolder"
	"github.com/omsd/omsd/spool"
)

func TestErrorFileName(t *testing.T) {
	long := strings.Repeat("x", 250) + ".pdf"
	tests := []struct {
		name   string
		want   string // "" = derived: checked below
		prefix string
		ext    string
	}{
		{name: "a.pdf", want: "a.pdf"},
		{name: strings.Repeat("a", errorNameMax), want: strings.Repeat("a", errorNameMax)},
		{name: long, prefix: strings.Repeat("x", 200), ext: ".pdf"},
		{name: strings.Repeat("é", 127) + ".pdf", prefix: "éééé", ext: ".pdf"},
		{name: strings.Repeat("\xff", 251) + ".pdf", prefix: "_", ext: ".pdf"},
		{name: "r\xe9sum\xe9.pdf", prefix: "r_sum_~", ext: ".pdf"},
		{name: "a." + strings.Repeat("b", 253), prefix: "a.bbbb", ext: ""},
	}
	for _, tt := range tests {
		got := errorFileName(tt.name)
		if tt.want != "" {
			if got != tt.want {
				t.Errorf("errorFileName(%d bytes) = %q; want it unchanged", len(tt.name), got)
			}
			continue
		}
		if len(got) > errorNameMax || !strings.HasPrefix(got, tt.prefix) || !strings.HasSuffix(got, tt.ext) || !strings.Contains(got, "~") {
			t.Errorf("errorFileName(%d bytes) = %q (%d bytes); want at most %d, starting %q, ending %q", len(tt.name), got, len(got), errorNameMax, tt.prefix, tt.ext)
		}
		if !utf8.ValidString(got) {
			t.Errorf("errorFileName(%q) = %q, not UTF-8", tt.name, got)
		}
	}
	if errorFileName(long) == errorFileName(strings.Repeat("x", 251)+".pdf") {
		t.Error("two long names got the same error-folder name")
	}
}

// TestToErrorFolderLongNames rejects files with the longest legal names,
// some not UTF-8: each reaches the error folder with its NAME.error.json,
// which holds the original name byte for byte.
func TestToErrorFolderLongNames(t *testing.T) {
	names := []string{
		strings.Repeat("n", 240) + ".pdf",
		strings.Repeat("n", 251) + ".pdf",
		strings.Repeat("n", 251) + ".pdf", // the same name twice
		"caf\xe9 " + strings.Repeat("\xff", 246) + ".pdf",
		"r\xe9sum\xe9.pdf",
	}
	x := newIntakeFixture(t)
	for _, name := range names {
		if len(name) > 255 {
			t.Fatalf("test name of %d bytes", len(name))
		}
		j, err := x.d.store.CreateJob(spool.Job{Name: name, Workflow: "default", Printer: "file", Source: x.hot, Input: inputName(name)})
		if err != nil {
			t.Fatal(err)
		}
		dir, _ := x.d.store.MakeJobDir(j.ID)
		writeFile(t, filepath.Join(dir, j.Input), "not a pdf")
		dst, err := x.d.ToErrorFolder(j, "not a PDF", errors.New("bad"))
		if err != nil {
			t.Fatalf("toErrorFolder(%d-byte name): %v", len(name), err)
		}
		b, err := os.ReadFile(dst + ".error.json")
		if err != nil {
			t.Fatalf("no error file for a %d-byte name: %v", len(name), err)
		}
		var rep errorReport
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		orig := rep.OriginalName
		if rep.OriginalNameBytes != nil {
			orig = string(rep.OriginalNameBytes)
		}
		if orig != name || rep.File != filepath.Base(dst) {
			t.Errorf("report names %q (file %q); want %q (file %q)", orig, rep.File, name, filepath.Base(dst))
		}
		if got, _ := os.ReadFile(dst); !bytes.Equal(got, []byte("not a pdf")) {
			t.Errorf("%s holds %q", dst, got)
		}
	}
	ents, _ := os.ReadDir(x.d.errorDir)
	if len(ents) != 2*len(names) {
		t.Errorf("error folder holds %d files; want %d", len(ents), 2*len(names))
	}
}

// TestIntakeLongName takes files with the longest legal names, one whose
// "extension" is most of the name, into jobs.
func TestIntakeLongName(t *testing.T) {
	x := newIntakeFixture(t)
	for _, name := range []string{"a." + strings.Repeat("b", 253), strings.Repeat("\xff", 251) + ".PDF"} {
		src := x.drop(name, "%PDF-1.4")
		if err := x.d.takeArrival(context.Background(), hotfolder.Arrival{Path: src, Workflow: "default"}); err != nil {
			t.Fatalf("taking a %d-byte name: %v", len(name), err)
		}
	}
	jobs, _ := x.d.store.Jobs()
	if len(jobs) != 2 || jobs[0].Input != "input" || jobs[1].Input != "input.pdf" || incoming(jobs[0]) || incoming(jobs[1]) {
		t.Errorf("jobs: %+v", jobs)
	}
}
