package marks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/omsd/omsd/imb"
	"github.com/omsd/omsd/meta"
)

// JobInfo is what marks know of the job.
type JobInfo struct {
	// ID is the job's ID as barcodes carry it ({job}).
	ID string
}

// EnvelopeSheets is one envelope of an output, as it is printed: its
// pieces in insertion order, with their pages and sheets.
type EnvelopeSheets struct {
	// ID is the envelope's ID, the mail piece ID barcodes carry
	// ({envelope}); the postage plan's Envelope.ID.
	ID     int
	Pieces []PieceSheets
	// Inserts names the inserts the envelope takes; the profile's feeders
	// map them to stations.
	Inserts []string
	// Divert is the envelope's divert code; "" for none.
	Divert string
	// Reprint is the reprint generation: 0 for the first print.
	Reprint int
}

// PieceSheets is one piece (document) of an envelope.
type PieceSheets struct {
	Seq int
	// Pages and Sheets: Sheets equals Pages (simplex) or (Pages+1)/2
	// (duplex).
	Pages  int
	Sheets int
	Meta   meta.Fields
}

// SheetMarks are the marks of one sheet.
type SheetMarks struct {
	Envelope         int // EnvelopeSheets.ID
	Piece            int // the Seq of the piece the sheet belongs to
	SheetInEnvelope  int // 1-based
	SheetsInEnvelope int
	SheetInPiece     int // 1-based
	// Pages is the number of pages printed on the sheet: 1, or 2 in
	// duplex (1 on the last sheet of a piece with an odd page count).
	Pages int
	// Counter is the sheet's running number in the output, from 1.
	Counter int
	// Sequence and Match are the values of the WAS and MC bits.
	Sequence int
	Match    int
	// OMR holds, per position of the profile's code, whether it is marked;
	// nil without an OMR code.
	OMR []bool
	// Barcode is the barcode's text, check character included.
	Barcode string
	// IMb is the 65-letter Intelligent Mail barcode, on the first sheet of
	// the envelope only.
	IMb string
}

// Sheets computes the marks of every sheet of one output: envelopes are
// in print order, and the sheets come back in print order. Counters (the
// continuous sequence, the match code, batches) start afresh with each
// call: call it once per output, which the line runs as one stack.
// A Stream computes the same marks an envelope at a time.
func Sheets(job JobInfo, envelopes []EnvelopeSheets, p *Profile) ([]SheetMarks, error) {
	st, err := NewStream(job, p, len(envelopes))
	if err != nil {
		return nil, err
	}
	var out []SheetMarks
	for k := range envelopes {
		sheets, err := st.Next(&envelopes[k])
		if err != nil {
			return nil, err
		}
		out = append(out, sheets...)
	}
	return out, nil
}

// counter walks the sheets of an output.
type counter struct {
	p     *Profile
	job   JobInfo
	sheet int // sheets so far
}

// envelope appends the sheets of envelope e, the k-th of n.
func (c *counter) envelope(out []SheetMarks, e *EnvelopeSheets, k, n int) ([]SheetMarks, error) {
	total, err := sheetsOf(e)
	if err != nil {
		return nil, err
	}
	fed, err := c.feeders(e.Inserts)
	if err != nil {
		return nil, err
	}
	st := sheetState{fed: fed, divert: e.Divert != "", match: c.match(k)}
	if o := c.p.OMR; o != nil && o.Batch > 0 {
		st.batchEnd = (k+1)%o.Batch == 0 || k == n-1
	}
	v := values{job: c.job.ID, envelope: e.ID, sheets: total, reprint: e.Reprint, divert: e.Divert,
		feeders: fed, stations: c.p.Stations}
	in := 0 // sheets of the envelope so far
	for _, pc := range e.Pieces {
		for j := range pc.Sheets {
			s := SheetMarks{Envelope: e.ID, Piece: pc.Seq, SheetInEnvelope: in + 1, SheetsInEnvelope: total,
				SheetInPiece: j + 1, Pages: min(2, pc.Pages-2*j), Counter: c.sheet + 1, Match: st.match}
			if pc.Sheets == pc.Pages {
				s.Pages = 1
			}
			v.piece, v.sheet, v.counter, v.meta = pc.Seq, in+1, c.sheet+1, pc.Meta
			if err := c.mark(&s, &st, &v); err != nil {
				return nil, fmt.Errorf("piece %d sheet %d: %w", pc.Seq, j+1, err)
			}
			if in == 0 && c.p.IMb != nil {
				if s.IMb, err = c.p.encodeIMb(&v); err != nil {
					return nil, fmt.Errorf("piece %d: %w", pc.Seq, err)
				}
			}
			out = append(out, s)
			in++
			c.sheet++
		}
	}
	return out, nil
}

// maxPagesPerSheet is the most pages a sheet holds: two sides of 4-up.
const maxPagesPerSheet = 8

// sheetsOf checks an envelope's pieces and returns its number of sheets.
func sheetsOf(e *EnvelopeSheets) (int, error) {
	if len(e.Pieces) == 0 {
		return 0, fmt.Errorf("%w: no pieces", ErrSheets)
	}
	total := 0
	for _, pc := range e.Pieces {
		// A sheet holds 1 page (simplex) to 8 (duplex 4-up); AFP medium
		// maps may change within a piece.
		if pc.Pages < 1 || pc.Sheets < 1 || pc.Sheets > pc.Pages || pc.Pages > maxPagesPerSheet*pc.Sheets {
			return 0, fmt.Errorf("%w: piece %d: %d sheets cannot hold %d pages", ErrSheets, pc.Seq, pc.Sheets, pc.Pages)
		}
		total += pc.Sheets
	}
	return total, nil
}

// feeders maps insert names to the stations that feed them.
func (c *counter) feeders(inserts []string) ([]bool, error) {
	fed := make([]bool, c.p.Stations)
	for _, name := range inserts {
		st, ok := c.p.Feeders[name]
		if !ok && c.p.Stations > 0 {
			return nil, fmt.Errorf("%w: insert %q has no station in profile %s (feeders: %s)", ErrSheets, name, c.p.Name, strings.Join(feederNames(c.p), ", "))
		}
		if ok {
			fed[st-1] = true
		}
	}
	return fed, nil
}

func feederNames(p *Profile) []string {
	names := make([]string, 0, len(p.Feeders))
	for n := range p.Feeders {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// mark fills in the OMR code and barcode of one sheet.
func (c *counter) mark(s *SheetMarks, st *sheetState, v *values) error {
	st.first, st.last = v.sheet == 1, v.sheet == v.sheets
	if o := c.p.OMR; o != nil {
		st.commands = o.Commands == "" || o.Commands == "every" ||
			(o.Commands == "first" && st.first) || (o.Commands == "last" && st.last)
		i := c.sheet
		if o.Sequence.Reset != "continuous" {
			i = v.sheet - 1
		}
		st.sequence = o.sequence(i)
		s.Sequence = st.sequence
		s.OMR = o.code(st)
	}
	if b := c.p.Barcode; b != nil {
		text, err := b.tmpl.expand(v)
		if err == nil {
			text, err = appendCheck(text, b.Check)
		}
		if err == nil {
			err = checkChars(b.Symbology, text)
		}
		if err != nil {
			return fmt.Errorf("barcode: %w", err)
		}
		s.Barcode = text
	}
	return nil
}

// sequence is the WAS value of the i-th sheet (0-based) of the cycle.
func (o *OMR) sequence(i int) int {
	n := o.bits(kWAS)
	if n == 0 {
		return 0
	}
	top := 1<<n - 1
	lo := 1
	if o.Sequence.Zero {
		lo = 0
	}
	i %= top - lo + 1
	if o.Sequence.Count == "down" {
		return top - i
	}
	return lo + i
}

// match is the match code of the k-th envelope (0-based) of the output.
func (c *counter) match(k int) int {
	o := c.p.OMR
	if o == nil || o.bits(kMC) == 0 {
		return 0
	}
	mod := 1 << o.bits(kMC)
	if o.Match.Count == "down" {
		return (mod - 1 - k%mod + mod) % mod
	}
	return (k + 1) % mod
}

// encodeIMb builds the tracking and routing codes of an envelope and
// encodes them.
func (p *Profile) encodeIMb(v *values) (string, error) {
	m := p.IMb
	serial, err := m.serial.expand(v)
	if err != nil {
		return "", fmt.Errorf("imb serial: %w", err)
	}
	routing, err := m.routing.expand(v)
	if err != nil {
		return "", fmt.Errorf("imb routing: %w", err)
	}
	routing = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, routing)
	bars, err := imb.Encode(m.BarcodeID+m.ServiceType+m.MailerID+serial, routing)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrContent, err)
	}
	return bars, nil
}
