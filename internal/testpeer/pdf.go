package testpeer

import (
	"bytes"
	"fmt"

	"github.com/omsd/omsd/internal/pdftest"
)

// PDF returns a small valid PDF of the given number of empty A4 pages
// (at least one), for tests that need a real document to print.
func PDF(pages int) []byte {
	pages = max(pages, 1)
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	kids := ""
	for i := range pages {
		kids += fmt.Sprintf("%d 0 R ", i+3)
		objs = append(objs, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, pages)
	var b bytes.Buffer
	if err := pdftest.WriteObjects(&b, objs); err != nil {
		panic("testpeer: " + err.Error()) // cannot happen: writing to a buffer
	}
	return b.Bytes()
}
