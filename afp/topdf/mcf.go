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
}

// fontSel is a font ready to draw with.
type fontSel struct {
	font *pdfFont
	size float64 // points
	cp   *[256]rune
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

// fontFor resolves a font spec through the font table.
func (t *transformer) fontFor(spec fontSpec) (*fontSel, error) {
	name := spec.charset
	if name == "" {
		name = spec.coded
	}
	rule, exact := t.fontTable.lookup(name)
	if !exact {
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
		if spec.codePage != "" {
			t.warn(spec.field, "code page %q not known; text decoded as code page %d", spec.codePage, afp.DefaultCodePage)
		}
		cp = afp.DefaultCodePage
	}
	table := t.cpTables[cp]
	if table == nil {
		table = codePageTable(cp)
		t.cpTables[cp] = table
	}
	return &fontSel{font: pf, size: size, cp: table}, nil
}
