package topdf

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// pdfFont is a TrueType font embedded once per PDF as a CIDFontType2 with
// Identity-H encoding (two-byte codes are glyph numbers), subset to the
// glyphs used, with a ToUnicode CMap mapping each glyph back to the
// character it was drawn for.
type pdfFont struct {
	tt              *trueType
	rule            fontRule
	res             string // resource name on pages: /F1
	obj             int    // the Type0 font object
	used            map[uint16]rune
	ascent, descent int
}

// glyph maps a character to its glyph and records it as used.
func (f *pdfFont) glyph(r rune) (uint16, bool) {
	g, ok := f.tt.cmap[r]
	if !ok {
		return 0, false
	}
	if _, seen := f.used[g]; !seen {
		f.used[g] = r
	}
	return g, true
}

// write writes the font's objects: Type0, CIDFontType2, descriptor, the
// subset font program and the ToUnicode CMap.
func (f *pdfFont) write(p *pdfWriter, tag string) {
	cid, desc, file, toU := p.reserve(), p.reserve(), p.reserve(), p.reserve()
	base := tag + "+" + pdfName(f.tt.name)
	p.object(f.obj, fmt.Sprintf("<</Type/Font/Subtype/Type0/BaseFont/%s/Encoding/Identity-H/DescendantFonts[%d 0 R]/ToUnicode %d 0 R>>", base, cid, toU))
	gids := make([]uint16, 0, len(f.used))
	for g := range f.used {
		gids = append(gids, g)
	}
	slices.Sort(gids)
	var w bytes.Buffer
	w.WriteString("[")
	for _, g := range gids {
		fmt.Fprintf(&w, "%d[%s]", g, num(f.tt.width(g)))
	}
	w.WriteString("]")
	p.object(cid, fmt.Sprintf("<</Type/Font/Subtype/CIDFontType2/BaseFont/%s/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor %d 0 R/DW 0/W %s/CIDToGIDMap/Identity>>", base, desc, w.String()))
	flags := 32 // nonsymbolic
	if f.tt.fixedPitch {
		flags |= 1
	}
	if f.tt.italicAngle != 0 {
		flags |= 64
	}
	bb := f.tt.bbox
	p.object(desc, fmt.Sprintf("<</Type/FontDescriptor/FontName/%s/Flags %d/FontBBox[%d %d %d %d]/ItalicAngle %s/Ascent %d/Descent %d/CapHeight %d/StemV 80/FontFile2 %d 0 R>>",
		base, flags, f.tt.scale(bb[0]), f.tt.scale(bb[1]), f.tt.scale(bb[2]), f.tt.scale(bb[3]), num(f.tt.italicAngle), f.ascent, f.descent, f.tt.scale(f.tt.capHeight), file))
	prog := f.tt.subset(f.used)
	p.stream(file, fmt.Sprintf("/Length1 %d", len(prog)), prog, false)
	p.stream(toU, "", toUnicodeCMap(gids, f.used), false)
}

// toUnicodeCMap maps two-byte glyph codes to the characters drawn.
func toUnicodeCMap(gids []uint16, used map[uint16]rune) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			r := used[g]
			if r > 0xFFFF {
				r = 0xFFFD
			}
			fmt.Fprintf(&b, "<%04X><%04X>\n", g, r)
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict/CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// pdfName keeps the letters, digits and hyphens of a font's name, for a
// PDF name object; "Font" if none.
func pdfName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "Font"
	}
	return b.String()
}

// subsetTag is the six-letter subset prefix of font n.
func subsetTag(n int) string {
	var t [6]byte
	for i := range t {
		t[5-i] = byte('A' + n%26)
		n /= 26
	}
	return string(t[:])
}
