package pdf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

// writeRun writes the mail run o to a new file and returns its path.
func writeRun(t *testing.T, o pdftest.Options) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.pdf")
	if err := pdftest.WriteFile(path, o); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeRaw writes a PDF of the given object bodies (object 1 the catalog).
func writeRaw(t *testing.T, objs ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "raw.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pdftest.WriteObjects(f, objs); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeBytes writes data to a new file named name and returns its path.
func writeBytes(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// qpdf runs qpdf with args and fails the test if it reports an error or a
// warning.
func qpdf(t *testing.T, args ...string) string {
	t.Helper()
	bin := pdftest.NeedTool(t, "qpdf", "qpdf")
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("qpdf %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// rewrite has qpdf rewrite the file at path with extra options (object
// streams, linearization) and returns the new file's path.
func rewrite(t *testing.T, path string, opts ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "qpdf.pdf")
	qpdf(t, append(append(opts, path), out)...)
	return out
}

// threePages is a page tree of three pages, objects 2 (root) and 3-5, with
// their contents in 6-8; a raw document adds its own objects from 9 on.
var threePages = []string{
	"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 /MediaBox [0 0 200 200] >>",
	"<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>",
	"<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>",
	"<< /Type /Page /Parent 2 0 R /Contents 8 0 R >>",
	pdftest.Stream("0 0 m 10 10 l S"),
	pdftest.Stream("0 0 m 20 20 l S"),
	pdftest.Stream("0 0 m 30 30 l S"),
}

// rawDoc returns the objects of a three-page document whose catalog has the
// given extra entries and which has the given objects from 9 on.
func rawDoc(catalogExtra string, more ...string) []string {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R " + catalogExtra + " >>"}
	objs = append(objs, threePages...)
	return append(objs, more...)
}
