package topdf

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
)

// trueType is a parsed TrueType font: what the transform needs to map
// characters to glyphs, measure them and write a subset.
type trueType struct {
	name        string // PostScript name
	tables      map[string][]byte
	unitsPerEm  int
	numGlyphs   int
	advances    []uint16 // per glyph, in font units
	loca        []uint32 // numGlyphs+1 offsets into glyf
	cmap        map[rune]uint16
	bbox        [4]int16
	capHeight   int16
	italicAngle float64
	fixedPitch  bool
}

// maxFontBytes bounds a font file read from the font directory.
const maxFontBytes = 32 << 20

// parseTrueType reads the tables of a TrueType font file.
func parseTrueType(b []byte) (*trueType, error) {
	if len(b) < 12 {
		return nil, fmt.Errorf("%w: font file of %d bytes", ErrFont, len(b))
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if 12+16*n > len(b) {
		return nil, fmt.Errorf("%w: table directory beyond the end", ErrFont)
	}
	f := &trueType{tables: make(map[string][]byte, n)}
	for i := 0; i < n; i++ {
		e := b[12+16*i:]
		tag := string(e[:4])
		off, ln := binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
		if uint64(off)+uint64(ln) > uint64(len(b)) {
			return nil, fmt.Errorf("%w: table %q beyond the end", ErrFont, tag)
		}
		f.tables[tag] = b[off : off+ln]
	}
	for _, t := range []string{"head", "hhea", "hmtx", "maxp", "loca", "glyf", "cmap"} {
		if f.tables[t] == nil {
			return nil, fmt.Errorf("%w: no %s table (not a TrueType font with outlines)", ErrFont, t)
		}
	}
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, fmt.Errorf("%w: short head, hhea or maxp table", ErrFont)
	}
	f.unitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	if f.unitsPerEm == 0 {
		return nil, fmt.Errorf("%w: unitsPerEm 0", ErrFont)
	}
	for i := range f.bbox {
		f.bbox[i] = int16(binary.BigEndian.Uint16(head[36+2*i:]))
	}
	longLoca := binary.BigEndian.Uint16(head[50:]) == 1
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	nh := int(binary.BigEndian.Uint16(hhea[34:]))
	hmtx := f.tables["hmtx"]
	if nh == 0 || nh > f.numGlyphs || 4*nh > len(hmtx) {
		return nil, fmt.Errorf("%w: bad hmtx", ErrFont)
	}
	f.advances = make([]uint16, f.numGlyphs)
	for g := range f.advances {
		f.advances[g] = binary.BigEndian.Uint16(hmtx[4*min(g, nh-1):])
	}
	loca := f.tables["loca"]
	f.loca = make([]uint32, f.numGlyphs+1)
	for g := range f.loca {
		switch {
		case longLoca && 4*g+4 <= len(loca):
			f.loca[g] = binary.BigEndian.Uint32(loca[4*g:])
		case !longLoca && 2*g+2 <= len(loca):
			f.loca[g] = 2 * uint32(binary.BigEndian.Uint16(loca[2*g:]))
		default:
			return nil, fmt.Errorf("%w: short loca", ErrFont)
		}
		if f.loca[g] > uint32(len(f.tables["glyf"])) || g > 0 && f.loca[g] < f.loca[g-1] {
			return nil, fmt.Errorf("%w: loca entry %d out of order", ErrFont, g)
		}
	}
	if err := f.parseCmap(); err != nil {
		return nil, err
	}
	if os2 := f.tables["OS/2"]; len(os2) >= 90 {
		f.capHeight = int16(binary.BigEndian.Uint16(os2[88:]))
	}
	if post := f.tables["post"]; len(post) >= 16 {
		f.italicAngle = float64(int32(binary.BigEndian.Uint32(post[4:]))) / 65536
		f.fixedPitch = binary.BigEndian.Uint32(post[12:]) != 0
	}
	f.name = postScriptName(f.tables["name"])
	return f, nil
}

// parseCmap reads the Windows Unicode BMP subtable (format 4).
func (f *trueType) parseCmap() error {
	c := f.tables["cmap"]
	if len(c) < 4 {
		return fmt.Errorf("%w: short cmap", ErrFont)
	}
	n := int(binary.BigEndian.Uint16(c[2:]))
	for i := 0; i < n && 4+8*i+8 <= len(c); i++ {
		e := c[4+8*i:]
		pid, eid, off := binary.BigEndian.Uint16(e), binary.BigEndian.Uint16(e[2:]), binary.BigEndian.Uint32(e[4:])
		if pid != 3 || eid != 1 || uint64(off)+14 > uint64(len(c)) {
			continue
		}
		st := c[off:]
		if binary.BigEndian.Uint16(st) != 4 {
			continue
		}
		segX2 := int(binary.BigEndian.Uint16(st[6:]))
		if 16+4*segX2 > len(st) {
			return fmt.Errorf("%w: short cmap format 4", ErrFont)
		}
		ends, starts := st[14:], st[16+segX2:]
		deltas, ranges := st[16+2*segX2:], st[16+3*segX2:]
		f.cmap = make(map[rune]uint16, 1024)
		for s := 0; s < segX2; s += 2 {
			end, start := binary.BigEndian.Uint16(ends[s:]), binary.BigEndian.Uint16(starts[s:])
			delta, ro := binary.BigEndian.Uint16(deltas[s:]), int(binary.BigEndian.Uint16(ranges[s:]))
			for ch := uint32(start); ch <= uint32(end) && ch < 0xFFFF; ch++ {
				var g uint16
				if ro == 0 {
					g = uint16(ch) + delta
				} else {
					p := 16 + 3*segX2 + s + ro + 2*int(ch-uint32(start))
					if p+2 > len(st) {
						continue
					}
					if g = binary.BigEndian.Uint16(st[p:]); g != 0 {
						g += delta
					}
				}
				if g != 0 && int(g) < f.numGlyphs {
					f.cmap[rune(ch)] = g
				}
			}
		}
		return nil
	}
	return fmt.Errorf("%w: no Unicode cmap (3,1)", ErrFont)
}

// postScriptName is name ID 6 of the name table, or "Font".
func postScriptName(t []byte) string {
	if len(t) < 6 {
		return "Font"
	}
	n, strOff := int(binary.BigEndian.Uint16(t[2:])), int(binary.BigEndian.Uint16(t[4:]))
	for i := 0; i < n && 6+12*i+12 <= len(t); i++ {
		r := t[6+12*i:]
		pid, nameID := binary.BigEndian.Uint16(r), binary.BigEndian.Uint16(r[6:])
		ln, off := int(binary.BigEndian.Uint16(r[8:])), int(binary.BigEndian.Uint16(r[10:]))
		if nameID != 6 || strOff+off+ln > len(t) {
			continue
		}
		s := t[strOff+off : strOff+off+ln]
		if pid == 3 { // UTF-16BE, ASCII in practice
			var b []byte
			for j := 1; j < len(s); j += 2 {
				b = append(b, s[j])
			}
			return string(b)
		}
		return string(s)
	}
	return "Font"
}

// width is the advance of glyph g in thousandths of an em.
func (f *trueType) width(g uint16) float64 {
	if int(g) >= len(f.advances) {
		return 0
	}
	return float64(f.advances[g]) * 1000 / float64(f.unitsPerEm)
}

// scale converts font units to thousandths of an em.
func (f *trueType) scale(v int16) int { return int(v) * 1000 / f.unitsPerEm }

// subset returns a font file with the glyphs used (and the components of
// composite ones, and glyph 0); the others are left empty, so glyph
// numbers stay as they are.
func (f *trueType) subset(used map[uint16]rune) []byte {
	glyf := f.tables["glyf"]
	keep := map[uint16]bool{0: true}
	var queue []uint16
	for g := range used {
		queue = append(queue, g)
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if keep[g] && g != 0 || int(g) >= f.numGlyphs {
			continue
		}
		keep[g] = true
		d := glyf[f.loca[g]:f.loca[g+1]]
		if len(d) < 10 || int16(binary.BigEndian.Uint16(d)) >= 0 {
			continue
		}
		for p := 10; p+4 <= len(d); { // composite: walk the components
			flags, comp := binary.BigEndian.Uint16(d[p:]), binary.BigEndian.Uint16(d[p+2:])
			if !keep[comp] {
				queue = append(queue, comp)
			}
			p += 4
			if flags&1 != 0 {
				p += 4
			} else {
				p += 2
			}
			switch {
			case flags&0x08 != 0:
				p += 2
			case flags&0x40 != 0:
				p += 4
			case flags&0x80 != 0:
				p += 8
			}
			if flags&0x20 == 0 {
				break
			}
		}
	}
	var newGlyf []byte
	newLoca := make([]byte, 4*(f.numGlyphs+1))
	for g := 0; g < f.numGlyphs; g++ {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if keep[uint16(g)] {
			newGlyf = append(newGlyf, glyf[f.loca[g]:f.loca[g+1]]...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*f.numGlyphs:], uint32(len(newGlyf)))
	head := slices.Clone(f.tables["head"])
	binary.BigEndian.PutUint16(head[50:], 1)
	binary.BigEndian.PutUint32(head[8:], 0)
	tables := map[string][]byte{"head": head, "hhea": f.tables["hhea"], "hmtx": f.tables["hmtx"],
		"maxp": f.tables["maxp"], "loca": newLoca, "glyf": newGlyf}
	for _, t := range []string{"cvt ", "fpgm", "prep"} {
		if f.tables[t] != nil {
			tables[t] = f.tables[t]
		}
	}
	return writeSFNT(tables)
}

// writeSFNT writes a font file of the tables, with their checksums.
func writeSFNT(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	es, lg := 1, 0
	for es*2 <= n {
		es *= 2
		lg++
	}
	binary.BigEndian.PutUint16(out[6:], uint16(16*es))
	binary.BigEndian.PutUint16(out[8:], uint16(lg))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16*es))
	for i, t := range tags {
		d := tables[t]
		e := out[12+16*i:]
		copy(e, t)
		binary.BigEndian.PutUint32(e[4:], checksum(d))
		binary.BigEndian.PutUint32(e[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(e[12:], uint32(len(d)))
		out = append(out, d...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func checksum(d []byte) uint32 {
	var s uint32
	for i := 0; i < len(d); i += 4 {
		var w [4]byte
		copy(w[:], d[i:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}
