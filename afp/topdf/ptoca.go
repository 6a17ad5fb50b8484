package topdf

import (
	"encoding/binary"

	"github.com/omsd/omsd/afp"
)

// textState is the PTOCA state of one text object: the current position
// in its I/B coordinates, orientation, font, colour and increments.
type textState struct {
	sp       *space
	k        float64 // points per text unit
	wU, hU   float64 // size of the text space in its units
	i, b     float64
	iDeg     int
	bDeg     int
	font     *fontSel
	fontID   byte
	color    [3]float64
	sia      float64 // intercharacter adjustment, signed
	svi      float64
	sviSet   bool
	sbi      float64
	sim      float64
	usc      bool
	offX     float64 // the text object's area origin on its space, points
	offY     float64
	field    *afp.Field
	fontSels map[byte]*fontSel
}

func (s *space) newText() *textState {
	ts := &textState{sp: s, k: s.k, wU: s.wU, hU: s.hU, bDeg: 90, fontSels: map[byte]*fontSel{}}
	if f := s.ptd; f != nil {
		ts.descriptor(f)
	}
	return ts
}

// descriptor takes the units and size of a presentation text descriptor.
func (ts *textState) descriptor(f *afp.Field) {
	unitsBase, xu := f.Data[0], float64(binary.BigEndian.Uint16(f.Data[2:]))
	w, h := float64(be24(f.Data[6:])), float64(be24(f.Data[9:]))
	if k := unitPoints(unitsBase, xu); k > 0 && w > 0 && h > 0 {
		ts.k, ts.wU, ts.hU = k, w, h
	}
}

// dir is the unit vector of an orientation in page coordinates (y down).
func dir(deg int) (float64, float64) {
	switch deg {
	case 90:
		return 0, 1
	case 180:
		return -1, 0
	case 270:
		return 0, -1
	}
	return 1, 0
}

// pagePoint maps I/B coordinates to PDF user space (points, y up).
func (ts *textState) pagePoint(i, b float64) (float64, float64) {
	ix, iy := dir(ts.iDeg)
	bx, by := dir(ts.bDeg)
	ox, oy := 0.0, 0.0
	if ix < 0 || bx < 0 {
		ox = ts.wU
	}
	if iy < 0 || by < 0 {
		oy = ts.hU
	}
	x := ox + i*ix + b*bx
	y := oy + i*iy + b*by
	return ts.sp.ox + ts.offX + x*ts.k, ts.sp.pg.hPt - (ts.sp.oy + ts.offY + y*ts.k)
}

func orientation(v uint16) int {
	switch v {
	case 0x2D00:
		return 90
	case 0x5A00:
		return 180
	case 0x8700:
		return 270
	}
	return 0
}

// run interprets the control sequences and text of one PTX field.
func (ts *textState) run(f *afp.Field) error {
	ts.field = f
	d := f.Data
	t := ts.sp.pg.t
	chained := false
	for p := 0; p < len(d); {
		if !chained {
			if p+1 < len(d) && d[p] == 0x2B && d[p+1] == 0xD3 {
				p += 2
				chained = true
				continue
			}
			// code points outside control sequences are text
			e := p
			for e < len(d) && !(d[e] == 0x2B && e+1 < len(d) && d[e+1] == 0xD3) {
				e++
			}
			if err := ts.show(d[p:e]); err != nil {
				return err
			}
			p = e
			continue
		}
		if p+2 > len(d) {
			t.warn(f, "control sequence cut at data byte %d; the rest ignored", p)
			return nil
		}
		n, typ := int(d[p]), d[p+1]
		if n < 2 || p+n > len(d) {
			t.warn(f, "control sequence of length %d at data byte %d with %d bytes left; the rest ignored", n, p, len(d)-p)
			return nil
		}
		args := d[p+2 : p+n]
		p += n
		chained = typ&1 == 1
		if err := ts.control(typ&^1, args); err != nil {
			return err
		}
	}
	return nil
}

func s16(b []byte) float64 { return float64(int16(binary.BigEndian.Uint16(b))) }

// control executes one control sequence (type with the chain bit off).
func (ts *textState) control(typ byte, a []byte) error {
	t := ts.sp.pg.t
	short := func(n int) bool {
		if len(a) < n {
			t.warn(ts.field, "control sequence %02X with %d parameter bytes, want %d; ignored", typ, len(a), n)
			return true
		}
		return false
	}
	switch typ {
	case 0xC6: // AMI
		if !short(2) {
			ts.i = s16(a)
		}
	case 0xC8: // RMI
		if !short(2) {
			ts.i += s16(a)
		}
	case 0xD2: // AMB
		if !short(2) {
			ts.b = s16(a)
		}
	case 0xD4: // RMB
		if !short(2) {
			ts.b += s16(a)
		}
	case 0xC0: // SIM
		if !short(2) {
			ts.sim = s16(a)
		}
	case 0xD0: // SBI
		if !short(2) {
			ts.sbi = s16(a)
		}
	case 0xD8: // BLN
		ts.i = ts.sim
		ts.b += ts.sbi
	case 0xC2: // SIA
		if !short(2) {
			ts.sia = float64(binary.BigEndian.Uint16(a))
			if len(a) >= 3 && a[2] == 1 {
				ts.sia = -ts.sia
			}
		}
	case 0xC4: // SVI
		if !short(2) {
			ts.svi, ts.sviSet = float64(binary.BigEndian.Uint16(a)), true
		}
	case 0xF0: // SCFL
		if !short(1) {
			return ts.selectFont(a[0])
		}
	case 0xF6: // STO
		if !short(4) {
			ts.iDeg = orientation(binary.BigEndian.Uint16(a))
			ts.bDeg = orientation(binary.BigEndian.Uint16(a[2:]))
			if (ts.bDeg-ts.iDeg+360)%180 != 90 {
				t.warn(ts.field, "text orientation %d/%d is not a valid pair; drawn at %d/%d", ts.iDeg, ts.bDeg, ts.iDeg, (ts.iDeg+90)%360)
				ts.bDeg = (ts.iDeg + 90) % 360
			}
		}
	case 0xDA: // TRN
		return ts.show(a)
	case 0xEE: // RPS
		if !short(2) {
			n := int(binary.BigEndian.Uint16(a))
			data := a[2:]
			if len(data) == 0 {
				return nil
			}
			// repeat the string until n bytes are shown, bounded by the
			// field's size: n is at most 65,535
			buf := make([]byte, 0, min(n, 1<<16))
			for len(buf) < n {
				buf = append(buf, data[:min(len(data), n-len(buf))]...)
			}
			return ts.show(buf)
		}
	case 0xE4, 0xE6: // DIR, DBR
		if !short(2) {
			ts.rule(typ == 0xE4, a)
		}
	case 0x74: // STC
		if !short(2) {
			ts.color = namedColor(binary.BigEndian.Uint16(a))
		}
	case 0x80: // SEC
		if c, ok := extendedColor(a); ok {
			ts.color = c
		} else {
			t.warn(ts.field, "extended text colour space %s not supported; drawn in black", colorSpaceName(a))
			ts.color = [3]float64{}
		}
	case 0x76: // USC
		if !short(1) {
			ts.usc = a[0] != 0
		}
	case 0x72: // OVS
		if len(a) > 0 && a[0] != 0 {
			t.warn(ts.field, "overstrike not supported; the text is drawn without it")
		}
	case 0xF8, 0xF2, 0xF4: // NOP, BSU, ESU
	case 0x78: // TBM
		t.warn(ts.field, "temporary baseline move not supported; text drawn on the baseline")
	default:
		t.warn(ts.field, "control sequence %02X not supported; ignored", typ)
	}
	return nil
}

// selectFont makes the font mapped to a local identifier the active one.
func (ts *textState) selectFont(id byte) error {
	if fs := ts.fontSels[id]; fs != nil {
		ts.font, ts.fontID = fs, id
		return nil
	}
	spec, ok := ts.sp.fonts[id]
	if !ok {
		ts.sp.pg.t.warn(ts.field, "font local ID %d not mapped by the page's Map Coded Font; drawn in the font table's catch-all font", id)
		spec = fontSpec{field: ts.field}
	}
	fs, err := ts.sp.pg.t.fontFor(spec)
	if err != nil {
		return err
	}
	ts.fontSels[id] = fs
	ts.font, ts.fontID = fs, id
	return nil
}

// show draws code points in the active font from the current position
// and advances it.
func (ts *textState) show(code []byte) error {
	if len(code) == 0 {
		return nil
	}
	if ts.font == nil {
		ts.sp.pg.t.warn(ts.field, "text before any font is selected; drawn in the font table's catch-all font")
		if err := ts.selectFont(0xFF); err != nil {
			return err
		}
	}
	fs := ts.font
	if fs.type3 != nil {
		ts.showRaster(code)
		return nil
	}
	pf := fs.font
	pg := ts.sp.pg
	pg.fonts[pf] = true
	x, y := ts.pagePoint(ts.i, ts.b)
	ix, iy := dir(ts.iDeg)
	bx, by := dir(ts.bDeg)
	c := &pg.content
	buf := c.AvailableBuffer()
	buf = append(buf, "BT "...)
	for _, v := range ts.color {
		buf = append(appendNum(buf, v), ' ')
	}
	buf = append(buf, "rg /"...)
	buf = append(buf, pf.res...)
	buf = append(appendNum(append(buf, ' '), fs.size), " Tf"...)
	for _, v := range [6]float64{ix, -iy, -bx, by, x, y} {
		buf = appendNum(append(buf, ' '), v)
	}
	buf = append(buf, " Tm [<"...)
	unitsPerPoint := 1 / ts.k
	start := ts.i
	missing := 0
	step := 1
	if fs.utf16 {
		step = 2
	}
	for k := 0; k+step <= len(code); k += step {
		var g uint16
		var w float64
		var miss bool
		r := fs.cp[code[k]]
		if fs.utf16 {
			r = rune(binary.BigEndian.Uint16(code[k:]))
			var ok bool
			if g, ok = pf.glyph(r); !ok {
				g, _ = pf.glyph('?')
				miss = true
			}
			w = pf.tt.width(g)
		} else {
			g, w, miss = fs.byteGlyph(code[k])
		}
		if miss {
			missing++
		}
		natural := w * fs.size / 1000 * unitsPerPoint
		adv := natural + ts.sia
		if !fs.utf16 && fs.haveIncr[code[k]] {
			adv = fs.advance(code[k], w)*fs.size/1000*unitsPerPoint + ts.sia
		}
		if r == ' ' && ts.sviSet {
			adv = ts.svi + ts.sia
		}
		buf = append(buf, hexDigits[g>>12], hexDigits[g>>8&15], hexDigits[g>>4&15], hexDigits[g&15])
		if d := adv - natural; d > 1e-9 || d < -1e-9 {
			// the difference in thousandths of the font size
			buf = append(buf, "> "...)
			buf = appendNum(buf, -d/unitsPerPoint/fs.size*1000)
			buf = append(buf, " <"...)
		}
		ts.i += adv
	}
	c.Write(buf)
	c.WriteString(">] TJ ET\n")
	if missing > 0 {
		ts.sp.pg.t.warn(ts.field, "%d characters have no glyph in %s; drawn as ?", missing, pf.rule.file)
	}
	if ts.usc {
		// underscore: a rule a tenth of the size below the baseline
		thick := fs.size * 0.05 * unitsPerPoint
		ts.fillQuad(start, ts.b+fs.size*0.1*unitsPerPoint, ts.i-start, thick, true)
	}
	return nil
}

const hexDigits = "0123456789ABCDEF"

// rule draws an inline (DIR) or baseline (DBR) rule from the current
// position; the current position does not move.
func (ts *textState) rule(inline bool, a []byte) {
	length := s16(a)
	width := 1.0 // a default rule is one unit wide
	if len(a) >= 4 {
		width = s16(a[2:])
		if len(a) >= 5 {
			width += float64(a[4]) / 256
		}
	}
	if inline {
		ts.fillQuad(ts.i, ts.b, length, width, true)
	} else {
		ts.fillQuad(ts.i, ts.b, length, width, false)
	}
}

// fillQuad fills the rectangle from (i, b): length along I and width along
// B (inline), or length along B and width along I.
func (ts *textState) fillQuad(i, b, length, width float64, inline bool) {
	var pts [4][2]float64
	if inline {
		pts = [4][2]float64{{i, b}, {i + length, b}, {i + length, b + width}, {i, b + width}}
	} else {
		pts = [4][2]float64{{i, b}, {i, b + length}, {i + width, b + length}, {i + width, b}}
	}
	c := &ts.sp.pg.content
	buf := c.AvailableBuffer()
	for _, v := range ts.color {
		buf = append(appendNum(buf, v), ' ')
	}
	buf = append(buf, "rg "...)
	x0, y0 := ts.pagePoint(pts[0][0], pts[0][1])
	x1, y1 := ts.pagePoint(pts[2][0], pts[2][1])
	// the rectangle's sides follow the page's axes in every orientation
	for _, v := range [4]float64{min(x0, x1), min(y0, y1), max(x0, x1) - min(x0, x1), max(y0, y1) - min(y0, y1)} {
		buf = append(appendNum(buf, v), ' ')
	}
	buf = append(buf, "re f\n"...)
	c.Write(buf)
}

// showRaster draws code points in a raster font of the file: one-byte
// codes, each advanced by its character increment.
func (ts *textState) showRaster(code []byte) {
	fs, f := ts.font, ts.font.type3
	pg := ts.sp.pg
	pg.type3[f] = true
	x, y := ts.pagePoint(ts.i, ts.b)
	ix, iy := dir(ts.iDeg)
	bx, by := dir(ts.bDeg)
	c := &pg.content
	buf := c.AvailableBuffer()
	buf = append(buf, "BT "...)
	for _, v := range ts.color {
		buf = append(appendNum(buf, v), ' ')
	}
	buf = append(append(append(buf, "rg /"...), f.res...), " 1 Tf"...)
	for _, v := range [6]float64{ix, -iy, -bx, by, x, y} {
		buf = appendNum(append(buf, ' '), v)
	}
	buf = append(buf, " Tm [<"...)
	missing := 0
	for _, b := range code {
		g := f.glyphs[b]
		if g == nil {
			missing++
			continue
		}
		f.used[b] = true
		natural := float64(g.incr) * f.pu / ts.k
		adv := natural + ts.sia
		if fs.cp[b] == ' ' && ts.sviSet {
			adv = ts.svi + ts.sia
		}
		buf = append(buf, hexDigits[b>>4], hexDigits[b&15])
		if d := adv - natural; d > 1e-9 || d < -1e-9 {
			buf = append(buf, "> "...)
			buf = appendNum(buf, -d*ts.k*1000) // thousandths of a point at 1 Tf
			buf = append(buf, " <"...)
		}
		ts.i += adv
	}
	c.Write(append(buf, ">] TJ ET\n"...))
	if missing > 0 {
		pg.t.warn(ts.field, "%d characters not in the raster font; left out", missing)
	}
}
