package pdf

import (
	"errors"
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

// TestWritePDFA: a PDF/A-2b output has the sRGB output intent (an ICC
// profile with 3 components), XMP metadata with pdfaid part 2 and
// conformance B and the document information's title and producer, and
// qpdf finds it sound; pages with a font that is not embedded are
// refused, as is a protected PDF/A.
func TestWritePDFA(t *testing.T) {
	qpdfBin := pdftest.NeedTool(t, "qpdf", "qpdf")
	// A page drawn without text: no font to embed.
	path := writeRaw(t,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
		pdftest.Stream("0 0 1 rg 100 100 200 200 re f"))
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "a.pdf")
	info := map[string]string{"Title": "Statement <1> & more", "Producer": "omsd", "account": "A1"}
	if err := d.WriteOutputs([]OutputSpec{{Path: out, Pages: []int{1}, Info: info, PDFA: true}}); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(qpdfBin, "--check", out).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, b)
	}
	b, err := exec.Command(qpdfBin, "--qdf", "--object-streams=disable", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/OutputIntents", "/S /GTS_PDFA1", "/DestOutputProfile", "/N 3", "/Metadata",
		"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
		"Statement &lt;1&gt; &amp; more</rdf:li>", "<pdf:Producer>omsd</pdf:Producer>", "acsp"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the PDF/A output lacks %q", want)
		}
	}
	// pdftest's pages use Helvetica, not embedded.
	text, err := Open(writeRun(t, pdftest.Options{Pieces: []int{1}}))
	if err != nil {
		t.Fatal(err)
	}
	err = text.WriteOutputs([]OutputSpec{{Path: filepath.Join(t.TempDir(), "b.pdf"), Pages: []int{1}, PDFA: true}})
	if !errors.Is(err, ErrNotPDFA) || !strings.Contains(err.Error(), "Helvetica") || !strings.Contains(err.Error(), "not embedded") {
		t.Errorf("a page with a font not embedded: %v", err)
	}
	err = d.WriteOutputs([]OutputSpec{{Path: filepath.Join(t.TempDir(), "c.pdf"), Pages: []int{1}, PDFA: true, Protect: &Protection{UserPassword: "x"}}})
	if !errors.Is(err, ErrNotPDFA) {
		t.Errorf("a protected PDF/A: %v", err)
	}
}
