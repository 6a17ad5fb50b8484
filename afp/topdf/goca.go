package topdf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/omsd/omsd/afp"
)

// normalLineWidth is GOCA's line width multiplier 1 in points: 1/180
// inch, as Apache FOP assumes (it writes 2.5 normal widths per point).
const normalLineWidth = 0.4

// gocaWindow is the graphics presentation space window of a GDD: the
// GPS coordinates of the object area's edges.
type gocaWindow struct {
	k              float64 // points per GPS unit
	xl, xr, yb, yt float64
	ok             bool
}

func parseGDD(d []byte) gocaWindow {
	for p := 0; p+2 <= len(d); {
		code, n := d[p], int(d[p+1])
		if p+2+n > len(d) {
			break
		}
		a := d[p+2 : p+2+n]
		p += 2 + n
		if code == 0xF6 && n >= 18 {
			w := gocaWindow{k: unitPoints(a[3], float64(binary.BigEndian.Uint16(a[4:])))}
			w.xl, w.xr = s16(a[10:]), s16(a[12:])
			w.yb, w.yt = s16(a[14:]), s16(a[16:])
			w.ok = w.k > 0 && w.xr != w.xl && w.yt != w.yb
			return w
		}
	}
	return gocaWindow{}
}

// gocaState draws the orders of one graphics object.
type gocaState struct {
	s          *space
	begin      *afp.Field
	oa         objectArea // the object area on the page
	ox, oy, sc float64    // offset in the area (points) and scale of the window
	win        gocaWindow
	cx, cy     float64 // current position, GPS units
	color      [3]float64
	lineWidth  float64 // points
	dash       string
	inArea     bool
	areaFlags  byte
	area       bytes.Buffer // the area's path
	arc        [4]float64   // P, Q, R, S: x = P·u + R·v, y = S·u + Q·v
	charSet    byte         // local ID of the font of character strings
	cellH      float64      // character cell height, GPS units; 0 for the default
	angle      [2]float64   // character angle: the baseline's direction
	noFill     bool
}

// pt maps GPS coordinates to PDF user space.
func (g *gocaState) pt(x, y float64) string {
	u := g.ox + (x-g.win.xl)*g.win.k*g.sc
	v := g.oy + (g.win.yt-y)*g.win.k*g.sc
	px, py := g.s.onPage(g.oa, u, v)
	return num(px) + " " + num(g.s.pg.hPt-py)
}

// drawGraphics renders a GOCA object: lines, boxes, arcs, curves and
// filled areas; what else it holds is reported.
func (s *space) drawGraphics(o *dataObject) {
	t := s.pg.t
	var a objectArea
	var gad []byte
	var win gocaWindow
	for _, f := range o.fields {
		switch f.ID {
		case idOBD:
			a.areaTriplets(f.Data)
		case idOBP:
			a.objectPosition(f.Data)
		case idMGO:
			repeatingGroups(f.Data, a.areaTriplets)
		case idGDD:
			win = parseGDD(f.Data)
		case idGAD:
			if len(gad)+len(f.Data) > maxObjectBytes {
				t.warn(f, "graphics data of more than %d bytes; the rest not drawn", maxObjectBytes)
				break
			}
			gad = append(gad, f.Data...)
		}
	}
	if o.area != nil {
		inc := *o.area
		if inc.w == 0 {
			inc.w, inc.h = a.w, a.h
		}
		a = inc
	}
	if !win.ok {
		t.warn(o.begin, "graphics without a window (GDD); nothing drawn")
		return
	}
	g := &gocaState{s: s, begin: o.begin, oa: a, sc: 1, win: win,
		lineWidth: normalLineWidth, arc: [4]float64{1, 1, 0, 0}}
	ww, wh := math.Abs(win.xr-win.xl)*win.k, math.Abs(win.yt-win.yb)*win.k
	if a.w > 0 && a.h > 0 && (!a.hasMap || a.mapping == mapScaleToFit) {
		g.sc = min(a.w/ww, a.h/wh)
		g.ox += (a.w - ww*g.sc) / 2
		g.oy += (a.h - wh*g.sc) / 2
	}
	c := &s.pg.content
	c.WriteString("q\n")
	if a.w > 0 && a.h > 0 {
		c.WriteString(s.clipArea(a))
	}
	g.run(gad)
	c.WriteString("Q\n")
}

// run interprets drawing orders.
func (g *gocaState) run(d []byte) {
	t := g.s.pg.t
	for p := 0; p < len(d); {
		code := d[p]
		var a []byte
		switch {
		case code == 0x00: // no-op
			p++
			continue
		case code&0x88 == 0x08: // two-byte orders
			if p+2 > len(d) {
				t.warn(g.begin, "drawing order %02X cut at byte %d; the rest not drawn", code, p)
				return
			}
			a = d[p+1 : p+2]
			p += 2
		case code == 0xFE:
			if p+4 > len(d) {
				t.warn(g.begin, "extended drawing order cut at byte %d; the rest not drawn", p)
				return
			}
			n := int(binary.BigEndian.Uint16(d[p+2:]))
			if p+4+n > len(d) {
				t.warn(g.begin, "drawing order FE%02X at byte %d has length %d with %d bytes left; the rest not drawn", d[p+1], p, n, len(d)-p-4)
				return
			}
			t.warn(g.begin, "extended drawing order FE%02X not supported; ignored", d[p+1])
			p += 4 + n
			continue
		default:
			if p+2 > len(d) {
				t.warn(g.begin, "drawing order %02X cut at byte %d; the rest not drawn", code, p)
				return
			}
			n := int(d[p+1])
			if p+2+n > len(d) {
				t.warn(g.begin, "drawing order %02X at byte %d has length %d with %d bytes left; the rest not drawn", code, p, n, len(d)-p-2)
				return
			}
			a = d[p+2 : p+2+n]
			p += 2 + n
		}
		g.order(code, a)
	}
	if g.inArea {
		g.endArea()
	}
}

// points reads pairs of signed 2-byte coordinates.
func points(a []byte) [][2]float64 {
	pts := make([][2]float64, 0, len(a)/4)
	for i := 0; i+4 <= len(a); i += 4 {
		pts = append(pts, [2]float64{s16(a[i:]), s16(a[i+2:])})
	}
	return pts
}

// order executes one drawing order.
func (g *gocaState) order(code byte, a []byte) {
	t := g.s.pg.t
	switch code {
	case 0x70: // begin segment: attributes start from their defaults
		g.color, g.lineWidth, g.dash, g.noFill, g.arc = [3]float64{}, normalLineWidth, "", false, [4]float64{1, 1, 0, 0}
		g.charSet, g.cellH, g.angle = 0, 0, [2]float64{1, 0}
	case 0x38: // GSCS
		g.charSet = a[0]
	case 0x33: // GSCC
		if len(a) >= 4 {
			g.cellH = s16(a[2:])
		}
	case 0x34: // GSCA
		if len(a) >= 4 && (s16(a) != 0 || s16(a[2:]) != 0) {
			g.angle = [2]float64{s16(a), s16(a[2:])}
		}
	case 0xC3, 0x83: // GCHST, GCCHST
		x, y, text := g.cx, g.cy, a
		if code == 0xC3 {
			if len(a) < 4 {
				return
			}
			x, y, text = s16(a), s16(a[2:]), a[4:]
		}
		g.text(x, y, text)
	case 0x71, 0x3E, 0x0C, 0x0D, 0x08, 0x1A, 0x1B, 0x39, 0x3A, 0x3B, 0x3C, 0x29, 0x35:
		// segments, prolog, mix, pattern set, line ends and joins,
		// character and marker attributes: nothing to draw
	case 0x0A: // GSCOL
		v := uint16(a[0])
		if v == 0 || v == 0xFF {
			v = 0x08
		}
		g.color = namedColor(v)
	case 0x26: // GSECOL
		if len(a) >= 2 {
			g.color = namedColor(binary.BigEndian.Uint16(a))
		}
	case 0xB2: // GSPCOL
		if c, ok := extendedColor(a); ok {
			g.color = c
		} else {
			t.warn(g.begin, "process colour space %s not supported; drawn in black", colorSpaceName(a))
			g.color = [3]float64{}
		}
	case 0x19: // GSLW
		m := float64(a[0])
		if m == 0 {
			m = 1
		}
		g.lineWidth = m * normalLineWidth
	case 0x11: // GSFLW
		if len(a) >= 2 {
			m := float64(a[0]) + float64(a[1])/256
			if m == 0 {
				m = 1
			}
			g.lineWidth = m * normalLineWidth
		}
	case 0x18: // GSLT
		g.dash = map[byte]string{1: "[1 2]", 2: "[3 2]", 3: "[6 2 1 2]", 4: "[1 1 1 3]", 5: "[8 3]", 6: "[6 2 1 2 1 2]", 8: "[0 100]"}[a[0]]
	case 0x28: // GSPT
		g.noFill = a[0] == 0x40 || a[0] == 0x0F
		if a[0] != 0 && a[0] != 0x10 && !g.noFill {
			t.warn(g.begin, "area pattern %02X not supported; filled solid", a[0])
		}
	case 0x22: // GSAP
		if len(a) >= 8 {
			g.arc = [4]float64{s16(a), s16(a[2:]), s16(a[4:]), s16(a[6:])}
		}
	case 0x21: // GSCP
		if pts := points(a); len(pts) > 0 {
			g.cx, g.cy = pts[0][0], pts[0][1]
		}
	case 0x68: // GBAR
		g.inArea, g.areaFlags = true, a[0]
		g.area.Reset()
	case 0x60: // GEAR
		if g.inArea {
			g.endArea()
		}
	case 0xC1, 0x81: // GLINE, GCLINE
		pts := points(a)
		if code == 0x81 {
			pts = append([][2]float64{{g.cx, g.cy}}, pts...)
		}
		g.polyline(pts, false)
	case 0xC0, 0x80: // GBOX, GCBOX
		if len(a) < 2 {
			return
		}
		pts := points(a[2:])
		if code == 0x80 {
			pts = append([][2]float64{{g.cx, g.cy}}, pts...)
		}
		if len(pts) < 2 {
			return
		}
		x0, y0, x1, y1 := pts[0][0], pts[0][1], pts[1][0], pts[1][1]
		if len(pts) >= 3 && (pts[2][0] != 0 || pts[2][1] != 0) {
			t.warn(g.begin, "rounded box corners drawn square")
		}
		g.polyline([][2]float64{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}, true)
		g.cx, g.cy = x0, y0
	case 0xC7, 0x87: // GFARC, GCFARC
		var cx, cy float64
		m := a
		if code == 0xC7 {
			if len(a) < 4 {
				return
			}
			cx, cy, m = s16(a), s16(a[2:]), a[4:]
		} else {
			cx, cy = g.cx, g.cy
		}
		if len(m) < 1 {
			return
		}
		mult := float64(m[0])
		if len(m) >= 2 {
			mult += float64(m[1]) / 256
		}
		g.ellipse(cx, cy, mult)
		g.cx, g.cy = cx, cy
	case 0xE5, 0xA5: // GBEZ, GCBEZ
		pts := points(a)
		if code == 0xA5 {
			pts = append([][2]float64{{g.cx, g.cy}}, pts...)
		}
		g.bezier(pts)
	case 0xC5, 0x85: // GFLT, GCFLT: drawn through its points
		pts := points(a)
		if code == 0x85 {
			pts = append([][2]float64{{g.cx, g.cy}}, pts...)
		}
		g.fillet(pts)
	default:
		t.warn(g.begin, "drawing order %02X not supported; nothing drawn for it", code)
	}
}

// polyline adds lines through pts to the area or strokes them.
func (g *gocaState) polyline(pts [][2]float64, closed bool) {
	if len(pts) < 2 {
		return
	}
	var b bytes.Buffer
	for i, p := range pts {
		op := " l\n"
		if i == 0 {
			op = " m\n"
		}
		b.WriteString(g.pt(p[0], p[1]) + op)
	}
	if closed {
		b.WriteString("h\n")
	}
	last := pts[len(pts)-1]
	g.cx, g.cy = last[0], last[1]
	g.emit(b.Bytes())
}

// bezier adds cubic curves: a start, then control, control, end points.
func (g *gocaState) bezier(pts [][2]float64) {
	if len(pts) < 4 {
		return
	}
	var b bytes.Buffer
	b.WriteString(g.pt(pts[0][0], pts[0][1]) + " m\n")
	for i := 1; i+3 <= len(pts); i += 3 {
		fmt.Fprintf(&b, "%s %s %s c\n", g.pt(pts[i][0], pts[i][1]), g.pt(pts[i+1][0], pts[i+1][1]), g.pt(pts[i+2][0], pts[i+2][1]))
		g.cx, g.cy = pts[i+2][0], pts[i+2][1]
	}
	g.emit(b.Bytes())
}

// fillet adds a curve tangent to the lines between its points: from the
// first point to the last, through the middles of the inner lines, a
// quadratic curve for each inner point.
func (g *gocaState) fillet(pts [][2]float64) {
	if len(pts) < 3 {
		g.polyline(pts, false)
		return
	}
	mid := func(a, b [2]float64) [2]float64 { return [2]float64{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2} }
	var b bytes.Buffer
	b.WriteString(g.pt(pts[0][0], pts[0][1]) + " m\n")
	start := pts[0]
	for i := 1; i < len(pts)-1; i++ {
		end := pts[i+1]
		if i < len(pts)-2 {
			end = mid(pts[i], pts[i+1])
		}
		q := pts[i]
		c1 := [2]float64{start[0] + 2.0/3*(q[0]-start[0]), start[1] + 2.0/3*(q[1]-start[1])}
		c2 := [2]float64{end[0] + 2.0/3*(q[0]-end[0]), end[1] + 2.0/3*(q[1]-end[1])}
		fmt.Fprintf(&b, "%s %s %s c\n", g.pt(c1[0], c1[1]), g.pt(c2[0], c2[1]), g.pt(end[0], end[1]))
		start = end
	}
	last := pts[len(pts)-1]
	g.cx, g.cy = last[0], last[1]
	g.emit(b.Bytes())
}

// ellipse adds a full arc: the unit circle through the arc parameters,
// times the multiplier, about the centre.
func (g *gocaState) ellipse(cx, cy, m float64) {
	p, q, r, s := g.arc[0], g.arc[1], g.arc[2], g.arc[3]
	at := func(ux, uy float64) (float64, float64) {
		return cx + m*(p*ux+r*uy), cy + m*(s*ux+q*uy)
	}
	const k = 0.5522847498 // control point distance of a quarter circle
	unit := [][2]float64{{1, 0}, {1, k}, {k, 1}, {0, 1}, {-k, 1}, {-1, k}, {-1, 0}, {-1, -k}, {-k, -1}, {0, -1}, {k, -1}, {1, -k}, {1, 0}}
	var b bytes.Buffer
	x, y := at(unit[0][0], unit[0][1])
	b.WriteString(g.pt(x, y) + " m\n")
	for i := 1; i+3 <= len(unit); i += 3 {
		for j := 0; j < 3; j++ {
			x, y := at(unit[i+j][0], unit[i+j][1])
			b.WriteString(g.pt(x, y) + " ")
		}
		b.WriteString("c\n")
	}
	b.WriteString("h\n")
	g.emit(b.Bytes())
}

// emit adds a path to the area being built, or strokes it.
func (g *gocaState) emit(path []byte) {
	if g.inArea {
		g.area.Write(path)
		return
	}
	c := &g.s.pg.content
	fmt.Fprintf(c, "%s %s %s RG %s w ", num(g.color[0]), num(g.color[1]), num(g.color[2]), num(g.lineWidth))
	if g.dash != "" {
		c.WriteString(g.dash + " 0 d ")
	} else {
		c.WriteString("[] 0 d ")
	}
	c.Write(path)
	c.WriteString("S\n")
}

// endArea fills the area's path, with its boundary if asked.
func (g *gocaState) endArea() {
	g.inArea = false
	if g.area.Len() == 0 {
		return
	}
	c := &g.s.pg.content
	fmt.Fprintf(c, "%s %s %s rg %s %s %s RG %s w [] 0 d\n", num(g.color[0]), num(g.color[1]), num(g.color[2]),
		num(g.color[0]), num(g.color[1]), num(g.color[2]), num(g.lineWidth))
	c.Write(g.area.Bytes())
	boundary := g.areaFlags&0x40 != 0
	winding := g.areaFlags&0x20 != 0
	switch {
	case g.noFill && boundary:
		c.WriteString("S\n")
	case g.noFill:
		c.WriteString("n\n")
	case boundary && winding:
		c.WriteString("B\n")
	case boundary:
		c.WriteString("B*\n")
	case winding:
		c.WriteString("f\n")
	default:
		c.WriteString("f*\n")
	}
	g.area.Reset()
}

// text draws a character string with its baseline starting at x, y in
// the font the character set ID maps (the page's Map Coded Font), else in
// the font table's Helvetica stand-in, as tall as the character cell.
func (g *gocaState) text(x, y float64, code []byte) {
	t := g.s.pg.t
	if len(code) == 0 {
		return
	}
	size := 10.0
	if g.cellH > 0 {
		size = g.cellH * g.win.k * g.sc
	}
	spec, ok := g.s.fonts[g.charSet]
	if !ok {
		spec = fontSpec{charset: "C0H20000", codePage: "T1V10500"}
	}
	spec.field, spec.size = g.begin, size
	fs, err := t.fontFor(spec)
	if err != nil || fs.type3 != nil || fs.utf16 {
		t.warn(g.begin, "graphics character string not drawn: no font for it (%v)", err)
		return
	}
	pf := fs.font
	g.s.pg.fonts[pf] = true
	// the baseline's direction and the characters' up, in PDF space
	l := math.Hypot(g.angle[0], g.angle[1])
	ax, ay := g.angle[0]/l, g.angle[1]/l
	ox, oy := g.pdfPoint(x, y)
	bx, by := g.pdfPoint(x+ax, y+ay)
	ux, uy := g.pdfPoint(x-ay, y+ax)
	nb, nu := math.Hypot(bx-ox, by-oy), math.Hypot(ux-ox, uy-oy)
	if nb == 0 || nu == 0 {
		return
	}
	c := &g.s.pg.content
	fmt.Fprintf(c, "BT %s %s %s rg /%s %s Tf %s %s %s %s %s %s Tm <", num(g.color[0]), num(g.color[1]), num(g.color[2]), pf.res, num(size),
		num((bx-ox)/nb), num((by-oy)/nb), num((ux-ox)/nu), num((uy-oy)/nu), num(ox), num(oy))
	for _, b := range code {
		gl, _, _ := fs.byteGlyph(b)
		fmt.Fprintf(c, "%04X", gl)
	}
	c.WriteString("> Tj ET\n")
	g.cx, g.cy = x, y
}

// pdfPoint maps GPS coordinates to PDF user space.
func (g *gocaState) pdfPoint(x, y float64) (float64, float64) {
	u := g.ox + (x-g.win.xl)*g.win.k*g.sc
	v := g.oy + (g.win.yt-y)*g.win.k*g.sc
	px, py := g.s.onPage(g.oa, u, v)
	return px, g.s.pg.hPt - py
}
