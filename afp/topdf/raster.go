package topdf

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// type3Font is a raster font character set drawn as a PDF Type 3 font:
// one glyph procedure a code point, the bitmap as an image mask.
type type3Font struct {
	res    string
	obj    int
	pu     float64 // points per pel
	glyphs [256]*rasterGlyph
	used   [256]bool
	cp     *[256]rune
}

// rasterGlyph is one character's bitmap and metrics, in pels.
type rasterGlyph struct {
	w, h   int // box
	bits   []byte
	incr   int // character increment
	aSpace int // from the reference point to the box's left edge
	baseO  int // from the baseline up to the box's top edge
}

// maxGlyphPels bounds one raster character's box.
const maxGlyphPels = 1 << 20

// rasterFont reads the FNC, FNI, FNM and FNG of a raster character set
// and the code page's GCGIDs into a Type 3 font; nil if it is not one.
func rasterFont(res *resource, gcgids map[byte]string) (*type3Font, error) {
	var fnc, fni, fnm, fng []byte
	for _, f := range res.fields {
		switch f.ID {
		case idFNC:
			fnc = f.Data
		case idFNI:
			fni = append(fni, f.Data...)
		case idFNM:
			fnm = append(fnm, f.Data...)
		case idFNG:
			fng = append(fng, f.Data...)
		}
	}
	if len(fnc) < 22 || fnc[1] != 0x05 || fnc[4] != 0x00 {
		return nil, nil
	}
	units := float64(binary.BigEndian.Uint16(fnc[6:]))
	iLen, mLen := int(fnc[15]), int(fnc[21])
	if units == 0 || iLen < 28 || mLen < 8 {
		return nil, fmt.Errorf("raster font control: %v units, FNI groups of %d, FNM groups of %d", units, iLen, mLen)
	}
	byGCGID := map[string][]byte{}
	for d := fni; len(d) >= iLen; d = d[iLen:] {
		byGCGID[string(d[:8])] = d[:iLen]
	}
	f := &type3Font{pu: 720 / units}
	for c, g := range gcgids {
		rg := byGCGID[g]
		if rg == nil {
			continue
		}
		idx := int(binary.BigEndian.Uint16(rg[16:]))
		if (idx+1)*mLen > len(fnm) {
			return nil, fmt.Errorf("character %s: pattern map entry %d of %d", g, idx, len(fnm)/mLen)
		}
		m := fnm[idx*mLen:]
		w, h := int(binary.BigEndian.Uint16(m))+1, int(binary.BigEndian.Uint16(m[2:]))+1
		off := int(binary.BigEndian.Uint32(m[4:]))
		stride := (w + 7) / 8
		if w*h > maxGlyphPels || off < 0 || off > len(fng) || stride*h > len(fng)-off {
			return nil, fmt.Errorf("character %s: a %d×%d pattern at %d in %d bytes of patterns", g, w, h, off, len(fng))
		}
		f.glyphs[c] = &rasterGlyph{w: w, h: h, bits: fng[off : off+stride*h], incr: int(binary.BigEndian.Uint16(rg[8:])),
			aSpace: int(int16(binary.BigEndian.Uint16(rg[18:]))), baseO: int(int16(binary.BigEndian.Uint16(rg[26:])))}
	}
	return f, nil
}

// write writes the Type 3 font with a glyph procedure per code point used.
func (f *type3Font) write(p *pdfWriter) {
	var procs, widths bytes.Buffer
	first, last := 256, -1
	for c := 0; c < 256; c++ {
		if f.used[c] && f.glyphs[c] != nil {
			first, last = min(first, c), max(last, c)
		}
	}
	if last < 0 {
		first, last = 0, 0
	}
	var diffs bytes.Buffer
	diffs.WriteString("[")
	procs.WriteString("<<")
	for c := first; c <= last; c++ {
		g := f.glyphs[c]
		if !f.used[c] || g == nil {
			widths.WriteString("0 ")
			continue
		}
		fmt.Fprintf(&widths, "%d ", g.incr)
		fmt.Fprintf(&diffs, "%d/g%d ", c, c)
		n := p.reserve()
		var s bytes.Buffer
		top := g.baseO
		fmt.Fprintf(&s, "%d 0 %d %d %d %d d1\nq %d 0 0 %d %d %d cm\nBI /IM true /W %d /H %d /BPC 1 /D [1 0] ID\n",
			g.incr, g.aSpace, top-g.h, g.aSpace+g.w, top, g.w, g.h, g.aSpace, top-g.h, g.w, g.h)
		s.Write(g.bits)
		s.WriteString("\nEI Q\n")
		p.stream(n, "", s.Bytes(), false)
		fmt.Fprintf(&procs, "/g%d %d 0 R", c, n)
	}
	procs.WriteString(">>")
	diffs.WriteString("]")
	p.object(f.obj, fmt.Sprintf("<</Type/Font/Subtype/Type3/FontBBox[0 0 0 0]/FontMatrix[%s 0 0 %s 0 0]/CharProcs %s/Encoding<</Type/Encoding/Differences%s>>/FirstChar %d/LastChar %d/Widths[%s]/ToUnicode %d 0 R>>",
		num6(f.pu), num6(f.pu), procs.String(), diffs.String(), first, last, widths.String(), f.toUnicode(p)))
}

// toUnicode writes the font's ToUnicode CMap and returns its object.
func (f *type3Font) toUnicode(p *pdfWriter) int {
	var gids []uint16
	used := map[uint16]rune{}
	for c := 0; c < 256; c++ {
		if f.used[c] {
			gids = append(gids, uint16(c))
			used[uint16(c)] = f.cp[c]
		}
	}
	n := p.reserve()
	cmap := toUnicodeCMap(gids, used)
	// one-byte codes: the code space and codes are one byte wide
	cmap = bytes.Replace(cmap, []byte("<0000><FFFF>"), []byte("<00><FF>"), 1)
	for _, g := range gids {
		cmap = bytes.Replace(cmap, []byte(fmt.Sprintf("<%04X><", g)), []byte(fmt.Sprintf("<%02X><", g)), 1)
	}
	p.stream(n, "", cmap, false)
	return n
}

// num6 formats a small scale factor with six decimals.
func num6(v float64) string { return fmt.Sprintf("%.6f", v) }
