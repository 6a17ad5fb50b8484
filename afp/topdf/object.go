package topdf

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/omsd/omsd/afp"
)

// Mapping options (triplet 0x04) of images and graphics in their area.
const (
	mapPosition     = 0x00
	mapPositionTrim = 0x10
	mapScaleToFit   = 0x20
	mapCenterTrim   = 0x30
	mapScaleToFill  = 0x60
)

// objectArea is where a data object goes on its presentation space.
type objectArea struct {
	x, y    float64 // origin, in the including space's units
	w, h    float64 // size in points; 0 when not given
	mapping byte
	hasMap  bool
	rotated bool
	xo, yo  int // orientation of the area's X and Y axes on the page: 0, 90, 180, 270
}

// setOrientation reads the X and Y axis orientations of an OBP or IOB.
func (a *objectArea) setOrientation(x, y uint16) {
	a.xo, a.yo = orientation(x), orientation(y)
	if x == 0 && y == 0 {
		a.yo = 90
	}
	if (a.yo-a.xo+360)%360 != 90 {
		a.yo = (a.xo + 90) % 360
	}
	a.rotated = a.xo != 0
}

// onPage maps a point of the area (points from its origin along its
// axes) to the page: points from the top left, y down.
func (s *space) onPage(a objectArea, u, v float64) (float64, float64) {
	yo := a.yo
	if yo == a.xo { // an area without an orientation: the page's axes
		yo = (a.xo + 90) % 360
	}
	xx, xy := dir(a.xo)
	yx, yy := dir(yo)
	return s.ox + a.x*s.k + u*xx + v*yx, s.oy + a.y*s.k + u*xy + v*yy
}

// imageMatrix is the cm operands that map an image's unit square to the
// rectangle x, y, w, h of the area (its top left corner, in the area's
// points), in PDF user space.
func (s *space) imageMatrix(a objectArea, x, y, w, h float64) string {
	pdf := func(u, v float64) (float64, float64) {
		px, py := s.onPage(a, u, v)
		return px, s.pg.hPt - py
	}
	ex, ey := pdf(x, y+h) // the image's bottom left
	rx, ry := pdf(x+w, y+h)
	tx, ty := pdf(x, y)
	return fmt.Sprintf("%s %s %s %s %s %s", num(rx-ex), num(ry-ey), num(tx-ex), num(ty-ey), num(ex), num(ey))
}

// clipArea clips to the object area.
func (s *space) clipArea(a objectArea) string {
	var b strings.Builder
	for i, p := range [4][2]float64{{0, 0}, {a.w, 0}, {a.w, a.h}, {0, a.h}} {
		x, y := s.onPage(a, p[0], p[1])
		op := " l "
		if i == 0 {
			op = " m "
		}
		b.WriteString(num(x) + " " + num(s.pg.hPt-y) + op)
	}
	b.WriteString("h W n\n")
	return b.String()
}

// areaTriplets reads the 0x4B, 0x4C and 0x04 triplets of an OBD, MIO,
// MGO or IOB.
func (a *objectArea) areaTriplets(d []byte) {
	var base [2]byte
	var units [2]float64
	var size [2]float64
	for len(d) >= 2 {
		n := int(d[0])
		if n < 2 || n > len(d) {
			return
		}
		id, v := d[1], d[2:n]
		d = d[n:]
		switch {
		case id == 0x4B && len(v) >= 6:
			base = [2]byte{v[0], v[1]}
			units = [2]float64{float64(binary.BigEndian.Uint16(v[2:])), float64(binary.BigEndian.Uint16(v[4:]))}
		case id == 0x4C && len(v) >= 7:
			size = [2]float64{float64(be24(v[1:])), float64(be24(v[4:]))}
		case id == 0x04 && len(v) >= 1:
			a.mapping, a.hasMap = v[0], true
		}
	}
	if kx, ky := unitPoints(base[0], units[0]), unitPoints(base[1], units[1]); kx > 0 && ky > 0 && size[0] > 0 {
		a.w, a.h = size[0]*kx, size[1]*ky
	}
}

// repeatingGroups calls fn with the triplets of each repeating group of
// an MIO or MGO (2-byte length first).
func repeatingGroups(d []byte, fn func([]byte)) {
	for len(d) >= 2 {
		n := int(binary.BigEndian.Uint16(d))
		if n < 2 || n > len(d) {
			return
		}
		fn(d[2:n])
		d = d[n:]
	}
}

// objectPosition reads an OBP.
func (a *objectArea) objectPosition(d []byte) {
	if len(d) < 12 {
		return
	}
	a.x, a.y = float64(se24(d[2:])), float64(se24(d[5:]))
	a.setOrientation(binary.BigEndian.Uint16(d[8:]), binary.BigEndian.Uint16(d[10:]))
}

// includeObject draws a resource object named by an IOB at the IOB's
// position and size.
func (s *space) includeObject(f *afp.Field) error {
	t := s.pg.t
	if len(f.Data) < 27 {
		t.warn(f, "include object of %d bytes, want at least 27; nothing drawn", len(f.Data))
		return nil
	}
	name := resourceName(f.Data)
	res, err := t.lookupResource(name)
	if err != nil {
		return err
	}
	if res == nil {
		t.warn(f, "object %s not in the resource group nor the resource directory; nothing drawn", name)
		return nil
	}
	var a objectArea
	x, y := se24(f.Data[10:]), se24(f.Data[13:])
	if x != -1 && y != -1 {
		a.x, a.y = float64(x), float64(y)
	}
	a.setOrientation(binary.BigEndian.Uint16(f.Data[16:]), binary.BigEndian.Uint16(f.Data[18:]))
	a.areaTriplets(f.Data[27:])
	switch res.kind {
	case idBMO, idBPS:
		return s.includeSpace(f, name, res, a.x, a.y)
	}
	o := &dataObject{begin: res.fields[0], fields: res.fields[1:], area: &a}
	return s.drawObject(o, f)
}

// placement is where an image of natural size iw×ih points goes: its top
// left corner and size in the area (points along the area's axes), and
// whether to clip to the area.
func (s *space) placement(a objectArea, iw, ih float64) (x, y, w, h float64, clip bool) {
	aw, ah := a.w, a.h
	if aw == 0 || ah == 0 {
		return 0, 0, iw, ih, false
	}
	mapping := a.mapping
	if !a.hasMap {
		mapping = mapScaleToFit
	}
	switch mapping {
	case mapScaleToFit:
		sc := min(aw/iw, ah/ih)
		return (aw - iw*sc) / 2, (ah - ih*sc) / 2, iw * sc, ih * sc, false
	case mapScaleToFill:
		return 0, 0, aw, ah, false
	case mapCenterTrim:
		return (aw - iw) / 2, (ah - ih) / 2, iw, ih, true
	case mapPositionTrim:
		return 0, 0, iw, ih, true
	}
	return 0, 0, iw, ih, false
}

// drawImage renders an IOCA image object.
func (s *space) drawImage(o *dataObject) error {
	t := s.pg.t
	var a objectArea
	var ipd []byte
	var idd []byte
	for _, f := range o.fields {
		switch f.ID {
		case idOBD:
			a.areaTriplets(f.Data)
		case idOBP:
			a.objectPosition(f.Data)
		case idMIO:
			repeatingGroups(f.Data, a.areaTriplets)
		case idIDD:
			idd = f.Data
		case idIPD:
			ipd = append(ipd, f.Data...)
		}
	}
	if o.area != nil { // an IOB places the object
		inc := *o.area
		if inc.w == 0 {
			inc.w, inc.h = a.w, a.h
		}
		if !inc.hasMap {
			inc.mapping, inc.hasMap = a.mapping, a.hasMap
		}
		a = inc
	}
	seg, err := parseIOCA(ipd)
	if err != nil {
		t.warn(o.begin, "%v; nothing drawn", err)
		return nil
	}
	if len(idd) >= 9 {
		hres, vres := resolution(idd[0], binary.BigEndian.Uint16(idd[1:])), resolution(idd[0], binary.BigEndian.Uint16(idd[3:]))
		if seg.main.width == 0 {
			seg.main.width, seg.main.height = int(binary.BigEndian.Uint16(idd[5:])), int(binary.BigEndian.Uint16(idd[7:]))
		}
		if seg.main.hres == 0 {
			seg.main.hres, seg.main.vres = hres, vres
		}
	}
	m := seg.main
	if m.hres <= 0 || m.vres <= 0 {
		m.hres, m.vres = 240, 240
	}
	iw, ih := float64(m.width)/m.hres*72, float64(m.height)/m.vres*72
	if iw <= 0 || ih <= 0 {
		t.warn(o.begin, "image without a size; nothing drawn")
		return nil
	}
	x, y, w, h, clip := s.placement(a, iw, ih)
	pieces := seg.tiles
	if len(pieces) == 0 {
		pieces = []ioImage{seg.main}
	}
	c := &s.pg.content
	c.WriteString("q\n")
	if clip && a.w > 0 {
		c.WriteString(s.clipArea(a))
	}
	for _, p := range pieces {
		if len(p.data) == 0 && len(p.bands) == 0 {
			t.warn(o.begin, "image or tile without data; nothing drawn in its place")
			continue
		}
		img, err := p.toPDF()
		if err != nil {
			t.warn(o.begin, "%v; nothing drawn in its place", err)
			continue
		}
		sx, sy := w/float64(m.width), h/float64(m.height)
		px, py := x+float64(p.x)*sx, y+float64(p.y)*sy
		pw, ph := float64(p.width)*sx, float64(p.height)*sy
		name := s.pg.t.writeImage(s.pg, img)
		fmt.Fprintf(c, "q %s cm /%s Do Q\n", s.imageMatrix(a, px, py, pw, ph), name)
	}
	c.WriteString("Q\n")
	return nil
}

// writeImage writes an image XObject and names it on the page.
func (t *transformer) writeImage(pg *pageOut, img *pdfImage) string {
	n := t.pdf.reserve()
	t.pdf.stream(n, img.dict, img.data, img.raw)
	t.images++
	name := fmt.Sprintf("Im%d", t.images)
	pg.xobjs[name] = n
	return name
}
