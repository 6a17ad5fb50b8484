package topdf

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/omsd/omsd/afp"
)

// pageOut is a page being rendered: its content stream and what it uses.
type pageOut struct {
	t        *transformer
	begin    *afp.Field
	content  bytes.Buffer
	fonts    map[*pdfFont]bool
	type3    map[*type3Font]bool
	xobjs    map[string]int // resource name -> object
	wPt, hPt float64
	depth    int // always 0: EPG is looked for at the page's own level
	sp       *space
}

// Default page size when no PGD says: A4 in points.
const defaultW, defaultH = 595.276, 841.89

func (t *transformer) newPage(f *afp.Field) *pageOut {
	pg := &pageOut{t: t, begin: f, fonts: map[*pdfFont]bool{}, type3: map[*type3Font]bool{}, xobjs: map[string]int{}, wPt: defaultW, hPt: defaultH}
	pg.sp = newSpace(pg, 0, 0, 0, true)
	return pg
}

func (pg *pageOut) feed(f *afp.Field) error { return pg.sp.feed(f) }

// endPage writes the page's content stream and page object.
func (t *transformer) endPage(pg *pageOut) error {
	if err := pg.sp.end(); err != nil {
		return err
	}
	p := t.pdf
	content, page := p.reserve(), p.reserve()
	p.stream(content, "", pg.content.Bytes(), false)
	var res strings.Builder
	res.WriteString("<<")
	if len(pg.fonts)+len(pg.type3) > 0 {
		fonts := make([]*pdfFont, 0, len(pg.fonts))
		for f := range pg.fonts {
			fonts = append(fonts, f)
		}
		slices.SortFunc(fonts, func(a, b *pdfFont) int { return a.obj - b.obj })
		res.WriteString("/Font<<")
		for _, f := range fonts {
			fmt.Fprintf(&res, "/%s %d 0 R", f.res, f.obj)
		}
		for _, f := range t.rasterFonts {
			if pg.type3[f] {
				fmt.Fprintf(&res, "/%s %d 0 R", f.res, f.obj)
			}
		}
		res.WriteString(">>")
	}
	if len(pg.xobjs) > 0 {
		names := make([]string, 0, len(pg.xobjs))
		for n := range pg.xobjs {
			names = append(names, n)
		}
		slices.Sort(names)
		res.WriteString("/XObject<<")
		for _, n := range names {
			fmt.Fprintf(&res, "/%s %d 0 R", n, pg.xobjs[n])
		}
		res.WriteString(">>")
	}
	res.WriteString(">>")
	p.object(page, fmt.Sprintf("<</Type/Page/Parent %d 0 R/MediaBox[0 0 %s %s]/Resources%s/Contents %d 0 R>>",
		t.pagesObj, num(pg.wPt), num(pg.hPt), res.String(), content))
	t.pageObjs = append(t.pageObjs, page)
	return p.err
}

// finish writes the fonts, the page tree, the outline and the catalog.
func (t *transformer) finish() error {
	p := t.pdf
	for i, f := range t.fontList {
		f.write(p, subsetTag(i))
	}
	for _, f := range t.rasterFonts {
		f.write(p)
	}
	var kids strings.Builder
	for _, o := range t.pageObjs {
		fmt.Fprintf(&kids, "%d 0 R ", o)
	}
	p.object(t.pagesObj, fmt.Sprintf("<</Type/Pages/Count %d/Kids[%s]>>", len(t.pageObjs), kids.String()))
	outlines := 0
	if len(t.outline) > 0 {
		outlines = p.reserve()
		first := p.pdfOutlineItems(outlines, t.outline, t.pageObjs)
		p.object(outlines, fmt.Sprintf("<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>", first, first+len(t.outline)-1, len(t.outline)))
	}
	root := p.reserve()
	cat := fmt.Sprintf("<</Type/Catalog/Pages %d 0 R", t.pagesObj)
	if outlines > 0 {
		cat += fmt.Sprintf("/Outlines %d 0 R/PageMode/UseOutlines", outlines)
	}
	p.object(root, cat+">>")
	info := p.reserve()
	title := "AFP print file"
	if len(t.res.Groups) == 1 {
		title = t.res.Groups[0]
	}
	var meta strings.Builder
	if len(t.outline) == 1 {
		// one piece: its TLEs are the document's metadata
		for _, a := range t.outline[0].attrs {
			if k := pdfName(a[0]); k != "Font" && k != "Title" && k != "Producer" {
				fmt.Fprintf(&meta, "/%s %s", k, pdfText(a[1]))
			}
		}
	}
	p.object(info, fmt.Sprintf("<</Title %s/Producer(omsd afp/topdf)%s>>", pdfText(title), meta.String()))
	return p.finish(root, info)
}

// pdfOutlineItems writes one outline item per entry (consecutive object
// numbers) and returns the first's number.
func (p *pdfWriter) pdfOutlineItems(parent int, entries []outlineEntry, pages []int) int {
	first := p.reserve()
	for range entries[1:] {
		p.reserve()
	}
	for i, e := range entries {
		n := first + i
		pg := pages[min(e.page, len(pages)-1)]
		title := e.title
		if len(e.attrs) > 0 {
			var kv []string
			for _, a := range e.attrs {
				kv = append(kv, a[0]+" "+a[1])
			}
			title += " (" + strings.Join(kv, ", ") + ")"
		}
		d := fmt.Sprintf("<</Title %s/Parent %d 0 R/Dest[%d 0 R/XYZ null null null]", pdfText(title), parent, pg)
		if i > 0 {
			d += fmt.Sprintf("/Prev %d 0 R", n-1)
		}
		if i < len(entries)-1 {
			d += fmt.Sprintf("/Next %d 0 R", n+1)
		}
		p.object(n, d+">>")
	}
	return first
}
