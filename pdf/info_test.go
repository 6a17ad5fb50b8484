package pdf

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// TestWriteInfo: an output with Info carries that document information
// (text strings, UTF-16 for non-ASCII), as pdfinfo reads it, in place of
// the input's.
func TestWriteInfo(t *testing.T) {
	pdfinfo := pdftest.NeedTool(t, "pdfinfo", "poppler-utils")
	d, err := Open(writeRun(t, pdftest.Options{Pieces: []int{2, 1}, Bookmarks: true}))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "piece.pdf")
	err = d.WriteOutputs([]OutputSpec{{Path: out, Pages: []int{1, 2}, Info: map[string]string{
		"Title": "run.pdf, piece 1", "Author": "Müller (Bank)", "account": "A0001"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(pdfinfo, "-custom", out).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, b)
	}
	for _, want := range []string{"Title:           run.pdf, piece 1", "Author:          Müller (Bank)", "account:         A0001"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, b)
		}
	}
	if text := pdftest.PageTexts(t, out); len(text) != 2 || text[0] != pdftest.PageText(0, 0) {
		t.Errorf("pages %q", text)
	}
}

// TestWriteProtected: a protected output opens with the user password
// (and the owner's) and with no other, is AES-256 revision 6 with
// printing allowed as qpdf reports it, and its pages and document
// information read back as written.
func TestWriteProtected(t *testing.T) {
	pdftotext := pdftest.NeedTool(t, "pdftotext", "poppler-utils")
	qpdfBin := pdftest.NeedTool(t, "qpdf", "qpdf")
	d, err := Open(writeRun(t, pdftest.Options{Pieces: []int{2, 1}, Bookmarks: true, Logo: true}))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "locked.pdf")
	err = d.WriteOutputs([]OutputSpec{{Path: out, Pages: []int{1, 2}, Info: map[string]string{"Title": "Statement (1)"},
		Protect: &Protection{UserPassword: "19700101", OwnerPassword: "bank-owner"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := exec.Command(qpdfBin, "--show-encryption", "--password=19700101", out).CombinedOutput()
	if err != nil {
		t.Fatalf("qpdf --show-encryption: %v\n%s", err, b)
	}
	for _, want := range []string{"R = 6", "P = -1340", "print low resolution: allowed", "print high resolution: allowed", "modify anything: not allowed", "stream encryption method: AESv3", "string encryption method: AESv3"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("qpdf --show-encryption lacks %q:\n%s", want, b)
		}
	}
	if b, err := exec.Command(qpdfBin, "--check", "--password=19700101", out).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, b)
	}
	for _, pw := range []string{"-upw=19700101", "-opw=bank-owner"} {
		flag, value, _ := strings.Cut(pw, "=")
		text, err := exec.Command(pdftotext, flag, value, out, "-").CombinedOutput()
		if err != nil || !strings.Contains(string(text), pdftest.PageText(0, 1)) {
			t.Errorf("pdftotext with %q: %v\n%s", pw, err, text)
		}
	}
	if text, err := exec.Command(pdftotext, "-upw", "wrong", out, "-").CombinedOutput(); err == nil {
		t.Errorf("opened with a wrong password:\n%s", text)
	}
	if b, _ := exec.Command("pdfinfo", "-upw", "19700101", out).CombinedOutput(); !strings.Contains(string(b), "Statement (1)") {
		t.Errorf("pdfinfo: the title is not read back:\n%s", b)
	}
}
