package topdf

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/omsd/omsd/afp"
)

// fontSpec is one font a Map Coded Font maps to a local identifier.
type fontSpec struct {
	charset, codePage, coded string
	size                     float64 // points, from a font descriptor triplet; 0 if none
	field                    *afp.Field
	object                   string // a TrueType/OpenType font object (MDR), by resource name
	utf16                    bool   // its text is UTF-16BE
}

// fontSel is a font ready to draw with.
type fontSel struct {
	font  *pdfFont
	size  float64 // points
	cp    *[256]rune
	utf16 bool // two bytes a character, UTF-16BE

	// per byte of a single-byte code page, filled as met: the glyph,
	// its advance in thousandths of an em, and whether it was missing
	known   [256]bool
	missing [256]bool
	glyphs  [256]uint16
	widths  [256]float64

	// the IBM font's character increments, thousandths of an em, where
	// the file carries its character set and code page
	incr     [256]float64
	haveIncr [256]bool

	type3 *type3Font // a raster font carried in the file, drawn as itself
}

// advance is the increment of a code point in thousandths of an em: the
// IBM font's where known, else the glyph's width.
func (fs *fontSel) advance(c byte, w float64) float64 {
	if fs.haveIncr[c] {
		return fs.incr[c]
	}
	return w
}

// byteGlyph is the glyph and advance of a code point of a single-byte
// font; missing characters are drawn as '?'.
func (fs *fontSel) byteGlyph(c byte) (g uint16, w float64, missing bool) {
	if !fs.known[c] {
		g, ok := fs.font.glyph(fs.cp[c])
		if !ok {
			g, _ = fs.font.glyph('?')
		}
		fs.known[c], fs.missing[c], fs.glyphs[c], fs.widths[c] = true, !ok, g, fs.font.tt.width(g)
	}
	return fs.glyphs[c], fs.widths[c], fs.missing[c]
}

// mapFonts reads a Map Coded Font (format 2): repeating groups of
// triplets naming a character set and code page, or a coded font, for a
// local identifier.
func (s *space) mapFonts(f *afp.Field) {
	d := f.Data
	for len(d) >= 2 {
		n := int(binary.BigEndian.Uint16(d))
		if n < 2 || n > len(d) {
			s.pg.t.warn(f, "repeating group of length %d with %d bytes left; the rest ignored", n, len(d))
			return
		}
		g := d[2:n]
		d = d[n:]
		spec := fontSpec{field: f}
		id, haveID := byte(0), false
		for len(g) >= 2 {
			tl := int(g[0])
			if tl < 2 || tl > len(g) {
				break
			}
			tid, td := g[1], g[2:tl]
			g = g[tl:]
			switch {
			case tid == 0x02 && len(td) >= 2:
				name := strings.TrimRight(afp.DecodeText(td[2:], afp.DefaultCodePage), " \x00")
				switch td[0] {
				case 0x85:
					spec.codePage = name
				case 0x86:
					spec.charset = name
				case 0x8E:
					spec.coded = name
				}
			case tid == 0x24 && len(td) >= 2 && td[0] == 0x05:
				id, haveID = td[1], true
			case tid == 0x1F && len(td) >= 4:
				if h := binary.BigEndian.Uint16(td[2:]); h > 0 {
					spec.size = float64(h) / 20 // 1440ths of an inch
				}
			}
		}
		if haveID {
			s.fonts[id] = spec
		}
	}
}

// mapDataResources reads a Map Data Resource: the TrueType and OpenType
// font objects (object containers) a page's text uses, by local ID.
func (s *space) mapDataResources(f *afp.Field) {
	repeatingGroups(f.Data, func(g []byte) {
		spec := fontSpec{field: f}
		cp := 0
		var nameBytes []byte
		id, haveID, isFont := byte(0), false, false
		for len(g) >= 2 {
			n := int(g[0])
			if n < 2 || n > len(g) {
				break
			}
			tid, td := g[1], g[2:n]
			g = g[n:]
			switch {
			case tid == 0x01 && len(td) >= 4:
				cp = int(binary.BigEndian.Uint16(td[2:]))
			case tid == 0x02 && len(td) >= 2 && td[0] == 0xDE:
				nameBytes = td[2:]
			case tid == 0x02 && len(td) >= 3 && td[0] == 0xBE:
				id, haveID = td[2], true
			case tid == 0x50 && len(td) >= 2:
				spec.utf16 = binary.BigEndian.Uint16(td) == 0x7200
			case tid == 0x8B && len(td) >= 4:
				isFont = true
				if v := binary.BigEndian.Uint16(td[2:]); v > 0 {
					spec.size = float64(v) / 20
				}
			}
		}
		if !isFont || !haveID || nameBytes == nil {
			return
		}
		if cp == 0 {
			cp = afp.DefaultCodePage
		}
		spec.object = strings.TrimRight(afp.DecodeText(nameBytes, cp), " \x00")
		s.fonts[id] = spec
	})
}

// objectFont loads a TrueType font from an object container of the
// resource group.
func (t *transformer) objectFont(spec fontSpec) (*pdfFont, error) {
	key := "object:" + spec.object
	if pf := t.fonts[key]; pf != nil {
		return pf, nil
	}
	res, err := t.lookupResource(spec.object)
	if err != nil || res == nil || res.kind != idBOC {
		return nil, err
	}
	var data []byte
	for _, f := range res.fields {
		if f.ID == idOCD {
			if len(data)+len(f.Data) > maxFontBytes {
				return nil, fmt.Errorf("%w: font object %s of more than %d bytes", ErrFont, spec.object, maxFontBytes)
			}
			data = append(data, f.Data...)
		}
	}
	tt, err := parseTrueType(data)
	if err != nil {
		t.warn(spec.field, "font object %s: %v; drawn in the font table's catch-all font", spec.object, err)
		return nil, nil
	}
	asc, desc := 800, -200
	if hhea := tt.tables["hhea"]; len(hhea) >= 8 {
		asc, desc = tt.scale(int16(binary.BigEndian.Uint16(hhea[4:]))), tt.scale(int16(binary.BigEndian.Uint16(hhea[6:])))
	}
	pf := &pdfFont{tt: tt, rule: fontRule{file: spec.object}, res: fmt.Sprintf("F%d", len(t.fontList)+1), obj: t.pdf.reserve(),
		used: map[uint16]rune{}, ascent: asc, descent: desc}
	t.fonts[key] = pf
	t.fontList = append(t.fontList, pf)
	return pf, nil
}

// fontFor resolves a font spec, once per run for each font.
func (t *transformer) fontFor(spec fontSpec) (*fontSel, error) {
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%g\x00%t", spec.charset, spec.codePage, spec.coded, spec.object, spec.size, spec.utf16)
	if fs := t.fontSels[key]; fs != nil {
		return fs, nil
	}
	fs, err := t.resolveFont(spec)
	if err == nil {
		t.fontSels[key] = fs
	}
	return fs, err
}

// resolveFont resolves a font spec through the font table, or to a font
// object of the file.
func (t *transformer) resolveFont(spec fontSpec) (*fontSel, error) {
	if spec.object != "" {
		pf, err := t.objectFont(spec)
		if err != nil {
			return nil, err
		}
		if pf != nil {
			size := spec.size
			if size == 0 {
				size = 10
				t.warn(spec.field, "font object %s without a size; drawn at 10 points", spec.object)
			}
			return &fontSel{font: pf, size: size, utf16: spec.utf16, cp: t.codePage(afp.DefaultCodePage)}, nil
		}
		t.warn(spec.field, "font object %s not in the resource group; drawn in the font table's catch-all font", spec.object)
		spec = fontSpec{field: spec.field, size: spec.size}
	}
	name := spec.charset
	if name == "" {
		name = spec.coded
	}
	rule, exact := t.fontTable.lookup(name)
	inFile := t.resources[name] != nil && t.resources[name].kind == idBFN
	if !exact && !inFile {
		t.warn(spec.field, "font %q not in the font table; drawn in %s", name, rule.file)
	}
	key := fmt.Sprintf("%s/%d/%d", rule.file, rule.ascent, rule.descent)
	pf := t.fonts[key]
	if pf == nil {
		tt := t.fontFiles[rule.file]
		if tt == nil {
			var err error
			if tt, err = readFontFile(t.opt.FontDir, rule.file); err != nil {
				return nil, err
			}
			t.fontFiles[rule.file] = tt
		}
		pf = &pdfFont{tt: tt, rule: rule, res: fmt.Sprintf("F%d", len(t.fontList)+1), obj: t.pdf.reserve(),
			used: map[uint16]rune{}, ascent: rule.ascent, descent: rule.descent}
		t.fonts[key] = pf
		t.fontList = append(t.fontList, pf)
	}
	size := spec.size
	if size == 0 {
		var ok bool
		if size, ok = t.fontTable.size(name); !ok {
			t.warn(spec.field, "font %q has no size the font table knows; drawn at %g points", name, size)
		}
	}
	cp := codePageNumber(spec.codePage)
	if cp == 0 {
		switch {
		case t.resources[spec.codePage] != nil && t.resources[spec.codePage].kind == idBCP:
			t.warn(spec.field, "code page %q is in the file, read for its characters' widths; its text is extracted as code page %d", spec.codePage, afp.DefaultCodePage)
		case spec.codePage != "":
			t.warn(spec.field, "code page %q not known; text decoded as code page %d", spec.codePage, afp.DefaultCodePage)
		}
		cp = afp.DefaultCodePage
	}
	fs := &fontSel{font: pf, size: size, cp: t.codePage(cp)}
	t.applyWidths(fs, spec)
	return fs, nil
}

// codePage is the table of a code page, made once.
func (t *transformer) codePage(cp int) *[256]rune {
	table := t.cpTables[cp]
	if table == nil {
		table = codePageTable(cp)
		t.cpTables[cp] = table
	}
	return table
}
