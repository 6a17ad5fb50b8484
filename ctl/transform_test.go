package ctl

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTransform renders an AFP sample as PDF from the command line, with
// --json, and refuses a piece the file does not have.
func TestTransform(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext not found (install the Debian package poppler-utils): %v", err)
	}
	in := filepath.Join("..", "afp", "testdata", "samples", "printstreamer_test_afp.afp")
	out := filepath.Join(t.TempDir(), "out.pdf")
	stdout, err := runLocal("transform", in, "-o", out, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Input, Output string
		Pages         int
		Warnings      []struct{ Field, Message string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("--json output %q: %v", stdout, err)
	}
	if rep.Pages != 3 || rep.Output != out {
		t.Errorf("report %+v, want 3 pages written to %s", rep, out)
	}
	text, err := exec.Command("pdftotext", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "Aaronic Priesthood") {
		t.Errorf("the PDF's text lacks the sample's title:\n%.300s", text)
	}
	bad := filepath.Join(t.TempDir(), "none.pdf")
	_, err = runLocal("transform", in, "-o", bad, "--piece", "4")
	if err == nil || !strings.Contains(err.Error(), "piece 4") {
		t.Errorf("--piece 4 of a file without page groups: %v, want an error naming the piece", err)
	}
	if _, serr := os.Stat(bad); !os.IsNotExist(serr) {
		t.Errorf("a failed transform left %s behind: %v", bad, serr)
	}
	if _, err := runLocal("transform", in); err == nil || !strings.Contains(err.Error(), "-o") {
		t.Errorf("transform without -o: %v, want an error asking for it", err)
	}
}
