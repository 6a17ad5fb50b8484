// Command gen writes the inputs of bench/topdf: an XSL-FO letter run for
// Apache FOP, or a generated AFP text run of any number of pages.
//
//	gen fo LETTERS > run.fo
//	gen afp PAGES > run.afp
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"

	"github.com/omsd/omsd/afp"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen fo LETTERS | gen afp PAGES")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "gen: want a positive count")
		os.Exit(2)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	switch os.Args[1] {
	case "fo":
		writeFO(w, n)
	case "afp":
		err = writeAFP(w, n)
	default:
		err = fmt.Errorf("unknown kind %q", os.Args[1])
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// writeFO writes n letters of one to four pages: text in three fonts, a
// table with borders, a rule.
func writeFO(w *bufio.Writer, n int) {
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format">
<fo:layout-master-set><fo:simple-page-master master-name="A4" page-height="29.7cm" page-width="21cm" margin="2cm"><fo:region-body/></fo:simple-page-master></fo:layout-master-set>
`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, `<fo:page-sequence master-reference="A4"><fo:flow flow-name="xsl-region-body">
<fo:block font-family="Helvetica" font-size="20pt" font-weight="bold">Statement ACC%05d</fo:block>
<fo:block font-family="Times" font-size="12pt" border-bottom="1pt solid black" space-after="6pt">Dear customer %d, here is your statement.</fo:block>
`, i+1, i+1)
		pages := 1 + i%4
		for p := 0; p < pages; p++ {
			brk := ""
			if p > 0 {
				brk = ` break-before="page"`
			}
			fmt.Fprintf(w, `<fo:block%s font-family="Helvetica" font-size="10pt">Page %d of the letter.</fo:block>
<fo:table border="0.5pt solid black" width="14cm" table-layout="fixed"><fo:table-column column-width="10cm"/><fo:table-column column-width="4cm"/><fo:table-body>
`, brk, p+1)
			for r := 0; r < 30; r++ {
				fmt.Fprintf(w, `<fo:table-row><fo:table-cell border="0.5pt solid black"><fo:block font-family="Courier" font-size="10pt">Item %d-%d of the order</fo:block></fo:table-cell><fo:table-cell border="0.5pt solid black"><fo:block text-align="end">%d.%02d</fo:block></fo:table-cell></fo:table-row>
`, p+1, r+1, (i*31+r*7)%1000, r)
			}
			w.WriteString("</fo:table-body></fo:table>\n")
		}
		w.WriteString("</fo:flow></fo:page-sequence>\n")
	}
	w.WriteString("</fo:root>\n")
}

// writeAFP writes a text run: page groups of five pages, each page 50
// lines of text in Helvetica and a rule, as a composer writes them.
func writeAFP(w *bufio.Writer, pages int) error {
	aw := afp.NewWriter(w)
	put := func(id uint32, data []byte) error { return aw.WriteField(&afp.Field{ID: id, Data: data}) }
	name := func(s string) []byte {
		b, _ := afp.EncodeText(fmt.Sprintf("%-8.8s", s), 500)
		return b
	}
	mcf := []byte{0, 0x22, 0x0C, 0x02, 0x86, 0x00}
	mcf = append(mcf, name("C0H200A0")...)
	mcf = append(mcf, 0x0C, 0x02, 0x85, 0x00)
	mcf = append(mcf, name("T1V10500")...)
	mcf = append(mcf, 0x04, 0x26, 0, 0, 0x04, 0x24, 0x05, 0x01)
	pgd := []byte{0, 0, 0x09, 0x60, 0x09, 0x60, 0, 0x07, 0xC0, 0, 0x0A, 0xF6, 0, 0, 0}
	if err := put(afp.IDBDT, name("DOC1")); err != nil {
		return err
	}
	for p := 0; p < pages; p++ {
		if p%5 == 0 {
			if err := put(afp.IDBNG, name(fmt.Sprintf("P%07d", p/5+1))); err != nil {
				return err
			}
		}
		ptx := []byte{0x2B, 0xD3, 0x03, 0xF1, 0x01}
		for l := 0; l < 50; l++ {
			b := 240 + l*48
			ptx = append(ptx, 0x04, 0xD3, byte(b>>8), byte(b), 0x04, 0xC7, 0, 0xBD)
			text, _ := afp.EncodeText(fmt.Sprintf("Page %d line %d: the quick brown fox jumps over the lazy dog 0123456789.", p+1, l+1), 500)
			ptx = append(ptx, byte(len(text)+2), 0xDB)
			ptx = append(ptx, text...)
		}
		ptx = append(ptx, 0x04, 0xD3, 0x0A, 0x00, 0x04, 0xC7, 0, 0xBD, 0x07, 0xE5, 0x06, 0x00, 0x00, 0x03, 0x00, 0x02, 0xF8)
		for _, f := range []struct {
			id   uint32
			data []byte
		}{{afp.IDBPG, name("PAGE")}, {0xD3A8C9, nil}, {0xD3AB8A, mcf}, {0xD3A6AF, pgd}, {0xD3B19B, pgd[:14]}, {0xD3A9C9, nil},
			{0xD3A89B, nil}, {0xD3EE9B, ptx}, {0xD3A99B, nil}, {afp.IDEPG, name("PAGE")}} {
			if err := put(f.id, f.data); err != nil {
				return err
			}
		}
		if p%5 == 4 || p == pages-1 {
			if err := put(afp.IDENG, name(fmt.Sprintf("P%07d", p/5+1))); err != nil {
				return err
			}
		}
	}
	if err := put(afp.IDEDT, name("DOC1")); err != nil {
		return err
	}
	return aw.Flush()
}
