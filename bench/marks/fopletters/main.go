// Command fopletters writes the XSL-FO of a run of composed letters as a
// composer lays them out — a letterhead, an address block, a date and
// reference line, paragraphs of text and a table of charges, one to three
// pages each, one bookmark per letter — so that Apache FOP renders the PDF
// the marks size benchmark measures realistic pages with:
//
//	go run ./bench/marks/fopletters -letters 1000 > run.fo && fop -fo run.fo -pdf run.pdf
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

var streets = []string{"Hauptstraße", "Bahnhofstraße", "Gartenweg", "Am Markt", "Lindenallee", "Schulstraße"}
var cities = []string{"Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Leipzig"}
var names = []string{"Anna Schmidt", "Jürgen Weiß", "Fatma Yılmaz", "Peter Müller", "Maria Łukasz", "Ole Hansen"}

const paragraph = "Thank you for your payment. This statement lists the charges of the period and the " +
	"balance carried forward. Please check the details below; if anything is not as you expect, call " +
	"our service line on weekdays between 8:00 and 18:00 or write to us at the address above. "

func main() {
	letters := flag.Int("letters", 1000, "letters in the run")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 0))
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format">`+
		`<fo:layout-master-set><fo:simple-page-master master-name="A4" page-width="210mm" page-height="297mm" `+
		`margin-top="15mm" margin-bottom="20mm" margin-left="25mm" margin-right="20mm"><fo:region-body margin-top="20mm"/>`+
		`<fo:region-before extent="15mm"/></fo:simple-page-master></fo:layout-master-set><fo:bookmark-tree>`)
	for i := range *letters {
		fmt.Fprintf(w, `<fo:bookmark internal-destination="L%d"><fo:bookmark-title>Letter %d</fo:bookmark-title></fo:bookmark>`, i+1, i+1)
	}
	fmt.Fprint(w, `</fo:bookmark-tree>`)
	for i := range *letters {
		letter(w, r, i+1)
	}
	fmt.Fprint(w, `</fo:root>`)
}

// letter writes one letter as a page sequence.
func letter(w *bufio.Writer, r *rand.Rand, n int) {
	fmt.Fprint(w, `<fo:page-sequence master-reference="A4" font-family="Helvetica" font-size="10pt">`+
		`<fo:static-content flow-name="xsl-region-before"><fo:block font-size="16pt" font-weight="bold" color="#003366">`+
		`Stadtwerke Musterstadt</fo:block><fo:block font-size="8pt">Postfach 10 20 30 · 12345 Musterstadt · `+
		`www.stadtwerke-musterstadt.example</fo:block></fo:static-content><fo:flow flow-name="xsl-region-body">`)
	fmt.Fprintf(w, `<fo:block id="L%d" font-size="8pt" space-after="2mm">Stadtwerke Musterstadt · Postfach 10 20 30 · 12345 Musterstadt</fo:block>`, n)
	fmt.Fprintf(w, `<fo:block>%s</fo:block><fo:block>%s %d</fo:block><fo:block space-after="12mm">%05d %s</fo:block>`,
		names[r.IntN(len(names))], streets[r.IntN(len(streets))], 1+r.IntN(120), 1000+r.IntN(98000), cities[r.IntN(len(cities))])
	fmt.Fprintf(w, `<fo:block text-align="end" space-after="6mm">Customer %08d · Statement %d · 4 December 2026</fo:block>`, r.IntN(1e8), n)
	fmt.Fprintf(w, `<fo:block font-weight="bold" font-size="12pt" space-after="4mm">Your statement for November 2026</fo:block>`)
	paras := 2 + r.IntN(4)
	for range paras {
		fmt.Fprintf(w, `<fo:block space-after="3mm" text-align="justify">%s%s</fo:block>`, paragraph, paragraph[:40+r.IntN(120)])
	}
	rows := 8 + r.IntN(60)
	fmt.Fprint(w, `<fo:table table-layout="fixed" width="100%" space-before="4mm"><fo:table-column column-width="25mm"/>`+
		`<fo:table-column column-width="95mm"/><fo:table-column column-width="45mm"/><fo:table-header><fo:table-row font-weight="bold">`+
		`<fo:table-cell><fo:block>Date</fo:block></fo:table-cell><fo:table-cell><fo:block>Item</fo:block></fo:table-cell>`+
		`<fo:table-cell><fo:block text-align="end">Amount</fo:block></fo:table-cell></fo:table-row></fo:table-header><fo:table-body>`)
	for j := range rows {
		fmt.Fprintf(w, `<fo:table-row><fo:table-cell><fo:block>%02d.11.2026</fo:block></fo:table-cell>`+
			`<fo:table-cell><fo:block>Consumption, meter %d, reading %d kWh</fo:block></fo:table-cell>`+
			`<fo:table-cell><fo:block text-align="end">%d,%02d EUR</fo:block></fo:table-cell></fo:table-row>`,
			1+j%30, 4000+r.IntN(999), r.IntN(99999), r.IntN(400), r.IntN(100))
	}
	fmt.Fprint(w, `</fo:table-body></fo:table><fo:block space-before="6mm">Kind regards,</fo:block>`+
		`<fo:block>Your customer service</fo:block></fo:flow></fo:page-sequence>`)
}
