package topdf

import (
	"encoding/binary"
	"fmt"

	"github.com/omsd/omsd/afp"
)

// space is a presentation space: the page itself, an overlay or a page
// segment placed on it. It takes the fields of its objects one at a time.
type space struct {
	pg      *pageOut
	isPage  bool
	ox, oy  float64 // origin on the page in points, from the top left
	k       float64 // points per unit of its descriptor
	wU, hU  float64 // size in those units
	nest    int     // overlays and segments this one is inside
	fonts   map[byte]fontSpec
	text    *textState
	obj     *dataObject
	skip    int        // depth inside a begin/end pair being skipped
	objSize int        // bytes held by obj
	ptd     *afp.Field // the text descriptor, if any
}

// dataObject is an image, graphics or barcode object being collected.
type dataObject struct {
	begin  *afp.Field
	fields []*afp.Field
	depth  int
	area   *objectArea // set by an Include Object: where it goes
}

// maxObjectBytes bounds the data of one image, graphics or barcode object.
const maxObjectBytes = 64 << 20

func newSpace(pg *pageOut, ox, oy float64, nest int, isPage bool) *space {
	return &space{pg: pg, isPage: isPage, ox: ox, oy: oy, k: 72.0 / 1440, wU: defaultW * 20, hU: defaultH * 20,
		nest: nest, fonts: map[byte]fontSpec{}}
}

// feed takes the next field of the space.
func (s *space) feed(f *afp.Field) error {
	t := s.pg.t
	if s.skip > 0 {
		switch {
		case afp.IsBegin(f.ID):
			s.skip++
		case afp.IsEnd(f.ID):
			s.skip--
		}
		return nil
	}
	if o := s.obj; o != nil {
		switch {
		case afp.IsBegin(f.ID):
			o.depth++
		case afp.IsEnd(f.ID):
			if o.depth--; o.depth == 0 {
				s.obj = nil
				s.objSize = 0
				return s.drawObject(o, f)
			}
		}
		if s.objSize += len(f.Data); s.objSize > maxObjectBytes {
			return fmt.Errorf("%w: offset %d: %s object of more than %d bytes", ErrInput, o.begin.Offset, o.begin.Name(), maxObjectBytes)
		}
		o.fields = append(o.fields, f)
		return nil
	}
	switch f.ID {
	case idBPT:
		s.text = s.newText()
	case idEPT:
		s.text = nil
	case idPTX:
		if s.text == nil {
			s.text = s.newText()
		}
		return s.text.run(f)
	case idMCF:
		s.mapFonts(f)
	case idMDR:
		s.mapDataResources(f)
	case idMCF1:
		t.warn(f, "Map Coded Font format 1 not supported; its fonts are drawn in the font table's catch-all font")
	case idPGD:
		if len(f.Data) >= 12 {
			unitsBase, xu := f.Data[0], float64(binary.BigEndian.Uint16(f.Data[2:]))
			w, h := float64(be24(f.Data[6:])), float64(be24(f.Data[9:]))
			if k := unitPoints(unitsBase, xu); k > 0 && w > 0 && h > 0 {
				s.k, s.wU, s.hU = k, w, h
				if s.isPage {
					s.pg.wPt, s.pg.hPt = w*k, h*k
				}
			}
		}
	case idPTD1, idPTD2:
		// the text space takes its units and size from here: the page's
		// for the text objects after it, or a text object's own
		if len(f.Data) >= 12 {
			if s.text != nil {
				s.text.descriptor(f)
			} else {
				s.ptd = f
			}
		}
	case idOBP, idOBD:
		// a text object's own area: where its I/B origin lies
		if s.text != nil && f.ID == idOBP {
			var a objectArea
			a.objectPosition(f.Data)
			s.text.offX, s.text.offY = a.x*s.k, a.y*s.k
		}
	case idBIM, idBGR, idBBC:
		s.obj = &dataObject{begin: f, depth: 1}
	case idIPO, idIPS:
		return s.include(f)
	case idIOB:
		return s.includeObject(f)
	case idBAG, idEAG, idBOG, idEOG, afp.IDNOP, afp.IDTLE:
	default:
		switch {
		case afp.IsBegin(f.ID):
			t.warn(f, "object not supported; nothing drawn in its place")
			s.skip = 1
		case f.ID>>8&0xFF == 0xAB || f.ID>>8&0xFF == 0xB1 || f.ID>>8&0xFF == 0xA7 || f.ID>>8&0xFF == 0xA6:
			// maps and descriptors (MPO, MPS, MDR, PEC…): nothing to draw
		default:
			t.warn(f, "structured field not understood inside a page; ignored")
		}
	}
	return nil
}

// end closes the space: an object left open is drawn as far as it came.
func (s *space) end() error {
	if o := s.obj; o != nil {
		s.obj = nil
		return s.drawObject(o, o.begin)
	}
	return nil
}

// drawObject renders a collected image, graphics or barcode object.
func (s *space) drawObject(o *dataObject, end *afp.Field) error {
	switch o.begin.ID {
	case idBIM:
		return s.drawImage(o)
	case idBGR:
		s.drawGraphics(o)
	case idBBC:
		s.drawBarcode(o)
	case idBOC:
		return s.drawContainer(o)
	default:
		s.pg.t.warn(o.begin, "object of this kind not supported; nothing drawn in its place")
	}
	return nil
}

// unitPoints is the size of one unit in points: base 0 is ten inches,
// base 1 ten centimetres.
func unitPoints(base byte, perBase float64) float64 {
	if perBase <= 0 {
		return 0
	}
	switch base {
	case 0:
		return 720 / perBase
	case 1:
		return 720 / 2.54 / perBase
	}
	return 0
}

func be24(b []byte) int { return int(b[0])<<16 | int(b[1])<<8 | int(b[2]) }

// se24 is a signed 3-byte integer.
func se24(b []byte) int {
	v := be24(b)
	if v&0x800000 != 0 {
		v -= 1 << 24
	}
	return v
}

// include draws an overlay (IPO) or page segment (IPS) at its position.
func (s *space) include(f *afp.Field) error {
	t := s.pg.t
	if len(f.Data) < 14 {
		t.warn(f, "include of %d bytes, want at least 14; nothing drawn", len(f.Data))
		return nil
	}
	name := resourceName(f.Data)
	x, y := float64(se24(f.Data[8:])), float64(se24(f.Data[11:]))
	res, err := t.lookupResource(name)
	if err != nil {
		return err
	}
	if res == nil {
		t.warn(f, "resource %s not in the resource group nor the resource directory; nothing drawn", name)
		return nil
	}
	turn := 0
	if f.ID == idIPO && len(f.Data) >= 16 {
		turn = orientation(binary.BigEndian.Uint16(f.Data[14:]))
	}
	if turn == 0 {
		return s.includeSpace(f, name, res, x, y)
	}
	// a rotated overlay: drawn as if upright, turned about its origin
	c := &s.pg.content
	px, py := s.ox+x*s.k, s.pg.hPt-(s.oy+y*s.k)
	// clockwise on the page is clockwise in PDF space too: an angle of -turn
	sin, cos := 0.0, -1.0 // 180
	switch turn {
	case 90:
		sin, cos = -1, 0
	case 270:
		sin, cos = 1, 0
	}
	fmt.Fprintf(c, "q %s %s %s %s %s %s cm\n", num(cos), num(sin), num(-sin), num(cos), num(px-px*cos+py*sin), num(py-px*sin-py*cos))
	err = s.includeSpace(f, name, res, x, y)
	c.WriteString("Q\n")
	return err
}

// includeSpace draws an overlay or page segment with its origin at x, y
// (units of this space).
func (s *space) includeSpace(f *afp.Field, name string, res *resource, x, y float64) error {
	t := s.pg.t
	if s.nest >= maxNesting {
		t.warn(f, "%s nested more than %d deep; not drawn", name, maxNesting)
		return nil
	}
	// IPO positions are in page units; IPS positions too (the page's).
	ox, oy := s.ox+x*s.k, s.oy+y*s.k
	sub := newSpace(s.pg, ox, oy, s.nest+1, false)
	if res.kind == idBPS {
		// a page segment uses the page's units, size and fonts
		sub.k, sub.wU, sub.hU, sub.fonts, sub.ptd = s.k, s.wU, s.hU, s.fonts, s.ptd
	}
	if res.kind != idBMO && res.kind != idBPS {
		t.warn(f, "resource %s is not an overlay or page segment; nothing drawn", name)
		return nil
	}
	for _, rf := range res.fields[1:] {
		if rf.ID == idEMO || rf.ID == idEPS {
			break
		}
		if err := sub.feed(rf); err != nil {
			return err
		}
	}
	return sub.end()
}
