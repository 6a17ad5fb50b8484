package pdftest

import (
	"os/exec"
	"strings"
	"testing"
)

// NeedTool returns the path of the external program name, failing the test
// with the Debian package to install if it is missing.
func NeedTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found (%v): install the Debian package %s", name, err, debianPackage)
	}
	return path
}

// PageTexts runs pdftotext (poppler-utils) on the PDF at path and returns
// the trimmed text of each page, in order.
func PageTexts(t testing.TB, path string) []string {
	t.Helper()
	bin := NeedTool(t, "pdftotext", "poppler-utils")
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1] // pdftotext ends the last page with a form feed too
	}
	for i := range pages {
		pages[i] = strings.TrimSpace(pages[i])
	}
	return pages
}

// ExpectedTexts is the page text of every page of the run o, in order, as
// PageTexts returns it for a file written by Write.
func ExpectedTexts(o Options) []string {
	var texts []string
	for i, pages := range o.Pieces {
		for j := range pages {
			texts = append(texts, PageText(i, j))
		}
	}
	return texts
}
