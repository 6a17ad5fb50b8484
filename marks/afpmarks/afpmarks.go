// Package afpmarks draws inserter marks onto the pages of AFP outputs: the
// OMR codes, barcodes and IMbs that package marks computes, added to each
// page before its End Page field through afp.WriteOutput's page hook. The
// hook computes a sheet's marks when the output reaches it (marks.Stream)
// and, when the profile draws only OMR marks, builds the objects of each
// distinct code once and returns them for every sheet with that code.
//
// OMR marks and IMb bars are PTOCA rules (Draw I-axis and B-axis Rule) in
// a presentation text object of their own: BPT, an object environment
// group (OBD, OBP, PTD) that gives the object the whole sheet with its own
// units (1440 per inch) at the page's origin, a PTX, EPT. Barcodes are
// BCOCA objects (BBC, BOG with OBD, OBP, MBC and BDD, EOG, BDA, EBC) that
// the printer renders: Data Matrix (type X'1C', ASCII data, the symbol
// size package marks chose), Code 128 (X'11'), Code 39 (X'01') and
// Interleaved 2 of 5 (X'0C'), without human-readable text, the check
// character, if any, in the data (1D data in EBCDIC code page 500). The
// objects bring their own units and sit at offset 0,0, so they need no
// knowledge of the page's units. Only unrotated barcodes are drawn.
//
// Not confirmed against the specification text: an object environment
// group inside a presentation text object (MO:DCA IS/3 allows one; older
// AFP/A printers may reject it), the BDA's Data Matrix parameters (taken
// from afplib's sample and Alpheus' parser), and the code page of 1D bar
// code data.
package afpmarks

import (
	"errors"
	"fmt"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/marks"
)

// ErrSheet reports a page whose sheet has no marks: the envelopes given
// to NewHook do not match the pieces and sheets of the output.
var ErrSheet = errors.New("afpmarks: page of a sheet without marks")

// Hook adds the marks of one output's sheets to its pages. It computes a
// sheet's marks when the output reaches it, an envelope at a time, so
// that nothing is held per sheet. It keeps state from page to page: use
// one Hook per output, for one WriteOutput.
type Hook struct {
	p         *marks.Profile
	stream    *marks.Stream
	envelopes marks.Envelopes
	sheets    []marks.SheetMarks // the current envelope's sheets
	at        int                // the sheet of sheets the output is on
	given     bitset             // the pieces of the envelopes so far
	err       error
	// omrOnly caches the objects of OMR codes, when the profile draws
	// nothing else: a run repeats few codes, and the objects are only read.
	omrOnly map[string][]*afp.Field
	key     []byte
}

// NewHook prepares the marks of an output's envelopes, in print order, as
// marks.Sheets would compute them for job, for drawing with profile p. It
// takes the envelopes one at a time, as the output reaches them.
func NewHook(p *marks.Profile, job marks.JobInfo, envelopes marks.Envelopes) (*Hook, error) {
	if p.Barcode != nil && p.Barcode.Rotate != 0 {
		return nil, fmt.Errorf("%w: %s: AFP barcodes are drawn unrotated only", marks.ErrProfile, p.Name)
	}
	st, err := marks.NewStream(job, p, envelopes.Len())
	if err != nil {
		return nil, err
	}
	h := &Hook{p: p, stream: st, envelopes: envelopes}
	if p.Barcode == nil && p.IMb == nil {
		h.omrOnly = map[string][]*afp.Field{}
	}
	return h, nil
}

// Page is the afp.PageHook: the fields to add to a page of piece pc
// placed at. The first page of each side of a sheet carries the side's
// marks (n-up sides hold several pages); which sides are marked is the
// profile's.
func (h *Hook) Page(pc *afp.Piece, at afp.PagePlace) []*afp.Field {
	if !at.FirstOnSide || !h.marked(at.Back) || h.err != nil {
		return nil
	}
	s, err := h.sheet(int(pc.Seq), at.Sheet)
	if err != nil {
		h.fail(fmt.Errorf("piece %d page %d, sheet %d: %w", pc.Seq, at.Page, at.Sheet, err))
		return nil
	}
	fields, err := h.cachedFields(s, at.Back)
	if err != nil {
		h.fail(fmt.Errorf("piece %d sheet %d: %w", pc.Seq, at.Sheet, err))
		return nil
	}
	return fields
}

// sheet returns the marks of sheet n of piece seq: the sheet the output
// is on, or the next one of the output that is (a sheet with no page of
// its own to mark is passed), computing envelopes as the output reaches
// them.
func (h *Hook) sheet(seq, n int) (*marks.SheetMarks, error) {
	for {
		for ; h.at < len(h.sheets); h.at++ {
			if s := &h.sheets[h.at]; s.Piece == seq && s.SheetInPiece == n {
				return s, nil
			}
		}
		e, ok := h.envelopes.Next()
		if !ok {
			return nil, ErrSheet
		}
		for _, pc := range e.Pieces {
			if !h.given.add(pc.Seq) {
				return nil, fmt.Errorf("%w: piece %d is given twice", marks.ErrSheets, pc.Seq)
			}
		}
		sheets, err := h.stream.Next(e)
		if err != nil {
			return nil, err
		}
		h.sheets, h.at = sheets, 0
	}
}

// bitset is a set of piece sequence numbers, which count from 1.
type bitset []uint64

// add adds n and reports whether it was new.
func (b *bitset) add(n int) bool {
	if n < 1 {
		return true // not a sequence number: marks.Sheets refuses the piece
	}
	for n/64 >= len(*b) {
		*b = append(*b, 0)
	}
	w, bit := &(*b)[n/64], uint64(1)<<(n%64)
	was := *w&bit != 0
	*w |= bit
	return !was
}

// cachedFields is fields, shared between sheets of the same OMR code when
// the profile draws only OMR marks.
func (h *Hook) cachedFields(s *marks.SheetMarks, back bool) ([]*afp.Field, error) {
	if h.omrOnly == nil {
		return h.fields(s, back)
	}
	h.key = h.key[:0]
	for _, on := range s.OMR {
		h.key = append(h.key, '0'+bit(on))
	}
	if f, ok := h.omrOnly[string(h.key)]; ok {
		return f, nil
	}
	f, err := h.fields(s, back)
	if err == nil {
		h.omrOnly[string(h.key)] = f
	}
	return f, err
}

func bit(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// Err returns the first error met while drawing: call it after
// afp.WriteOutput, whose hook cannot return one.
func (h *Hook) Err() error { return h.err }

func (h *Hook) fail(err error) {
	if h.err == nil {
		h.err = err
	}
}

// marked reports whether the profile marks a front or a back.
func (h *Hook) marked(back bool) bool {
	switch h.p.Sides {
	case marks.SidesBoth:
		return true
	case marks.SidesBack:
		return back
	}
	return !back
}

// fields builds the objects of one side: the rules of the OMR code and
// the IMb, then the barcode.
func (h *Hook) fields(s *marks.SheetMarks, back bool) ([]*afp.Field, error) {
	var rules []marks.Rect
	pos := h.p.OMRPositions()
	for i, on := range s.OMR {
		if on && i < len(pos) {
			rules = append(rules, pos[i])
		}
	}
	if h.p.IMb != nil && s.IMb != "" && !back {
		bars, err := h.p.IMbRects(s.IMb)
		if err != nil {
			return nil, err
		}
		rules = append(rules, bars...)
	}
	var out []*afp.Field
	if len(rules) > 0 {
		out = textObject(h.p.Page(), rules)
	}
	if h.p.Barcode != nil && s.Barcode != "" {
		bc, err := barcodeObject(h.p, s.Barcode)
		if err != nil {
			return nil, err
		}
		out = append(out, bc...)
	}
	return out, nil
}
