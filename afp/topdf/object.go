package topdf

import (
	"encoding/binary"
	"fmt"

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
	a.rotated = binary.BigEndian.Uint16(d[8:]) != 0 || binary.BigEndian.Uint16(d[10:]) != 0x2D00
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
	a.rotated = binary.BigEndian.Uint16(f.Data[16:]) != 0 || binary.BigEndian.Uint16(f.Data[18:]) != 0x2D00
	a.areaTriplets(f.Data[27:])
	switch res.kind {
	case idBMO, idBPS:
		return s.includeSpace(f, name, res, a.x, a.y)
	}
	o := &dataObject{begin: res.fields[0], fields: res.fields[1:], area: &a}
	return s.drawObject(o, f)
}

// placement is where an image of natural size iw×ih points goes: its top
// left corner and size on the page (points, y down), and the clip.
func (s *space) placement(a objectArea, iw, ih float64) (x, y, w, h float64, clip bool) {
	ax, ay := s.ox+a.x*s.k, s.oy+a.y*s.k
	aw, ah := a.w, a.h
	if aw == 0 || ah == 0 {
		return ax, ay, iw, ih, false
	}
	mapping := a.mapping
	if !a.hasMap {
		mapping = mapScaleToFit
	}
	switch mapping {
	case mapScaleToFit:
		sc := min(aw/iw, ah/ih)
		return ax + (aw-iw*sc)/2, ay + (ah-ih*sc)/2, iw * sc, ih * sc, false
	case mapScaleToFill:
		return ax, ay, aw, ah, false
	case mapCenterTrim:
		return ax + (aw-iw)/2, ay + (ah-ih)/2, iw, ih, true
	case mapPositionTrim:
		return ax, ay, iw, ih, true
	}
	return ax, ay, iw, ih, false
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
	if a.rotated {
		t.warn(o.begin, "rotated object area not supported; image drawn unrotated")
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
		ax, ay := s.ox+a.x*s.k, s.oy+a.y*s.k
		fmt.Fprintf(c, "%s %s %s %s re W n\n", num(ax), num(s.pg.hPt-ay-a.h), num(a.w), num(a.h))
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
		fmt.Fprintf(c, "q %s 0 0 %s %s %s cm /%s Do Q\n", num(pw), num(ph), num(px), num(s.pg.hPt-py-ph), name)
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
