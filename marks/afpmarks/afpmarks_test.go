package afpmarks

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"testing"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/imb"
	"github.com/omsd/omsd/internal/afptest"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
	"github.com/omsd/omsd/meta"
)

// testProfile has every kind of mark: an OMR code, a Data Matrix and an
// IMb.
const testProfile = `
name: afp-test
stations: 2
omr:
  corner: top-left
  edge: 8mm
  start: 100mm
  pitch: 4.2333mm
  length: 15mm
  thickness: 0.5mm
  positions: [BM, PAR, EOC, SF1, SF2, WAS, WAS, WAS, SAF]
  sequence: {reset: continuous}
barcode: {symbology: datamatrix, content: "{job:6}{envelope:6}{sheet:2}{sheets:2}", corner: top-right, x: 10mm, y: 10mm, module: 0.5mm}
imb: {barcode_id: "00", service_type: "270", mailer_id: "123456", serial: "{envelope:9}", routing: "{meta.zip}", corner: bottom-right, x: 4in, y: 0.6in}
`

// page is what a reader finds added to one page.
type page struct {
	rules   []marks.Rect // in points, PDF space
	barcode string
	bcType  byte
	bcAt    [2]float64 // symbol origin, points from the top left
}

// readPages reads the marks back from a print file: the rules of every
// presentation text object, interpreted from their PTOCA control
// sequences in the units their PTD gives, and the type, position and data
// of every bar code object.
func readPages(t *testing.T, b []byte, paperH float64) []page {
	t.Helper()
	r := afp.NewReader(bytes.NewReader(b))
	var pages []page
	upi, bcUnits := 0.0, 0.0
	var bdd []byte
	inPage := false
	for {
		f, err := r.Next()
		if err == io.EOF {
			return pages
		}
		if err != nil {
			t.Fatal(err)
		}
		switch f.ID {
		case afp.IDBPG:
			pages = append(pages, page{})
			upi, inPage = 0, true
		case afp.IDEPG:
			inPage = false
		case idBPT, idBBC:
			if !inPage {
				t.Fatalf("%s after page %d's EPG", f.Name(), len(pages))
			}
		case idPTD:
			upi = float64(binary16(f.Data[2:])) / 10
		case idPTX:
			if upi > 0 {
				rules, err := markread.PTOCARules(f.Data, upi, paperH)
				if err != nil {
					t.Fatalf("page %d: %v", len(pages), err)
				}
				pages[len(pages)-1].rules = append(pages[len(pages)-1].rules, rules...)
			}
		case idBDD:
			bdd = f.Data
			bcUnits = float64(binary16(f.Data[2:])) / 10
		case idBDA:
			pg := &pages[len(pages)-1]
			pg.bcType = bdd[12]
			pg.bcAt = [2]float64{float64(binary16(f.Data[1:])) / bcUnits * 72, float64(binary16(f.Data[3:])) / bcUnits * 72}
			if pg.bcType == 0x1C {
				pg.barcode = string(f.Data[15:])
			} else {
				pg.barcode = afp.DecodeText(f.Data[5:], 500)
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func binary16(b []byte) int { return int(b[0])<<8 | int(b[1]) }

func TestAFPMarks(t *testing.T) {
	p, err := marks.ParseProfile([]byte(testProfile))
	if err != nil {
		t.Fatal(err)
	}
	sizes := []int{2, 1, 4, 3, 1, 6, 2}
	in := afptest.Simplex(sizes)
	idx, err := afp.BuildIndex(bytes.NewReader(in), afp.IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	order := []int{3, 1, 7, 2, 6, 5, 4}
	var pieces []mailpiece.Piece
	for _, seq := range order {
		pc := idx.Pieces[seq-1]
		pieces = append(pieces, mailpiece.Piece{Seq: int(pc.Seq), Pages: int(pc.Pages), Sheets: int(pc.Sheets), Meta: meta.FromMap(pc.Meta())})
	}
	envs := marks.PerPiece(pieces)
	sheets, err := marks.Sheets(marks.JobInfo{ID: "42"}, envs, p)
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHook(p, marks.JobInfo{ID: "42"}, marks.EnvelopeList(envs))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := afp.WriteOutput(&out, bytes.NewReader(in), idx, order, h.Page); err != nil {
		t.Fatal(err)
	}
	if err := h.Err(); err != nil {
		t.Fatal(err)
	}
	outIdx, err := afp.BuildIndex(bytes.NewReader(out.Bytes()), afp.IndexOptions{})
	if err != nil || len(outIdx.Pieces) != len(sizes) {
		t.Fatalf("the output does not index: %v", err)
	}
	pages := readPages(t, out.Bytes(), p.Page().H)
	if len(pages) != len(sheets) {
		t.Fatalf("%d pages, want %d", len(pages), len(sheets))
	}
	for k, pg := range pages {
		checkPage(t, p, k, pg, sheets[k], envs)
	}
}

// checkPage compares what was read from a page with its sheet's marks.
func checkPage(t *testing.T, p *marks.Profile, k int, pg page, s marks.SheetMarks, envs []marks.EnvelopeSheets) {
	t.Helper()
	pos := p.OMRPositions()
	code := make([]bool, len(pos))
	var bars []marks.Rect
	for _, r := range pg.rules {
		matched := false
		for i, q := range pos {
			if same(r, q) {
				code[i], matched = true, true
			}
		}
		if !matched {
			bars = append(bars, r)
		}
	}
	if fmt.Sprint(code) != fmt.Sprint(s.OMR) {
		t.Errorf("page %d: OMR %v, want %v", k+1, code, s.OMR)
	}
	box, _, _ := p.BarcodeBox(s.Barcode)
	if pg.bcType != 0x1C || pg.barcode != s.Barcode || math.Abs(pg.bcAt[0]-box.X) > 0.1 || math.Abs(pg.bcAt[1]-(p.Page().H-box.Y-box.H)) > 0.1 {
		t.Errorf("page %d: bar code type %X %q at %v, want Data Matrix %q at %.1f,%.1f", k+1, pg.bcType, pg.barcode, pg.bcAt, s.Barcode, box.X, p.Page().H-box.Y-box.H)
	}
	if s.SheetInEnvelope != 1 {
		if len(bars) != 0 {
			t.Errorf("page %d: %d rules besides the OMR code", k+1, len(bars))
		}
		return
	}
	want, _ := imb.Encode(fmt.Sprintf("00270123456%09d", s.Envelope), envs[s.Envelope-1].Pieces[0].Meta.Get("zip"))
	if got := classify(bars); got != want {
		t.Errorf("page %d: IMb %s, want %s", k+1, got, want)
	}
}

// same compares rectangles to a twentieth of a point.
func same(a, b marks.Rect) bool {
	return math.Abs(a.X-b.X) < 0.05 && math.Abs(a.Y-b.Y) < 0.05 && math.Abs(a.W-b.W) < 0.05 && math.Abs(a.H-b.H) < 0.05
}

// classify reads IMb bars from their extents: F reaches the top and the
// bottom, A the top, D the bottom.
func classify(bars []marks.Rect) string {
	if len(bars) == 0 {
		return ""
	}
	lo, hi := bars[0].Y, bars[0].Y+bars[0].H
	for _, r := range bars {
		lo, hi = math.Min(lo, r.Y), math.Max(hi, r.Y+r.H)
	}
	var s []byte
	for _, r := range bars {
		top, bottom := hi-(r.Y+r.H) < 0.5, r.Y-lo < 0.5
		s = append(s, "TDAF"[2*btoi(top)+btoi(bottom)])
	}
	return string(s)
}

func TestHookErrors(t *testing.T) {
	p, err := marks.ParseProfile([]byte(testProfile))
	if err != nil {
		t.Fatal(err)
	}
	in := afptest.Simplex([]int{1, 2})
	idx, err := afp.BuildIndex(bytes.NewReader(in), afp.IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	envs := marks.PerPiece([]mailpiece.Piece{{Seq: 1, Pages: 1, Sheets: 1, Meta: meta.FromMap(idx.Pieces[0].Meta())}})
	h, err := NewHook(p, marks.JobInfo{ID: "1"}, marks.EnvelopeList(envs))
	if err != nil {
		t.Fatal(err)
	}
	if err := afp.WriteOutput(io.Discard, bytes.NewReader(in), idx, []int{1, 2}, h.Page); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(h.Err(), ErrSheet) {
		t.Errorf("piece 2 has no marks: Err %v, want ErrSheet", h.Err())
	}
	h, err = NewHook(p, marks.JobInfo{}, marks.EnvelopeList(append(envs, envs[0])))
	if err != nil {
		t.Fatal(err)
	}
	if err := afp.WriteOutput(io.Discard, bytes.NewReader(in), idx, []int{1, 2}, h.Page); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(h.Err(), marks.ErrSheets) {
		t.Errorf("a piece given twice: %v, want ErrSheets", h.Err())
	}
	p.Barcode.Rotate = 90
	if _, err := NewHook(p, marks.JobInfo{}, marks.EnvelopeList(envs)); !errors.Is(err, marks.ErrProfile) {
		t.Errorf("rotated barcode: %v", err)
	}
}

// TestHookStreams: the hook computes an envelope's marks when the output
// reaches its first marked page, never ahead, and holds only that
// envelope's sheets.
func TestHookStreams(t *testing.T) {
	p, err := marks.ParseProfile([]byte(testProfile))
	if err != nil {
		t.Fatal(err)
	}
	sizes := make([]int, 60)
	for i := range sizes {
		sizes[i] = 1 + i%5
	}
	in := afptest.Simplex(sizes)
	idx, err := afp.BuildIndex(bytes.NewReader(in), afp.IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var pieces []mailpiece.Piece
	order := make([]int, len(idx.Pieces))
	for i, pc := range idx.Pieces {
		pieces = append(pieces, mailpiece.Piece{Seq: int(pc.Seq), Pages: int(pc.Pages), Sheets: int(pc.Sheets), Meta: meta.FromMap(pc.Meta())})
		order[i] = int(pc.Seq)
	}
	envs := &countedEnvelopes{Envelopes: marks.EnvelopeList(marks.PerPiece(pieces))}
	h, err := NewHook(p, marks.JobInfo{ID: "9"}, envs)
	if err != nil {
		t.Fatal(err)
	}
	hook := func(pc *afp.Piece, at afp.PagePlace) []*afp.Field {
		f := h.Page(pc, at)
		if envs.given != int(pc.Seq) || len(h.sheets) != int(pc.Sheets) {
			t.Fatalf("piece %d page %d: %d envelopes taken, %d sheets held; want %d and %d", pc.Seq, at.Page, envs.given, len(h.sheets), pc.Seq, pc.Sheets)
		}
		return f
	}
	if err := afp.WriteOutput(io.Discard, bytes.NewReader(in), idx, order, hook); err != nil {
		t.Fatal(err)
	}
	if err := h.Err(); err != nil {
		t.Fatal(err)
	}
}

// countedEnvelopes counts the envelopes taken.
type countedEnvelopes struct {
	marks.Envelopes
	given int
}

func (c *countedEnvelopes) Next() (*marks.EnvelopeSheets, bool) {
	e, ok := c.Envelopes.Next()
	if ok {
		c.given++
	}
	return e, ok
}
