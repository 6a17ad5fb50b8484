// Package afptest writes deterministic AFP mail runs for tests and
// benchmarks, and says exactly what they hold.
//
// A run is an inline resource group with a form map of four medium maps
// (SIMPLEX, DUPLEX, TUMBLE, and NUP2DUP: 2-up duplex), then one document of
// mail pieces. Each piece is a named page group with TLEs ACCOUNT, NAME and
// POSTCODE (EBCDIC 500; some in 273 with a 0x01 triplet, some in ASCII),
// 1 to 9 pages, and an IMM in the group, an IMM before it, or none (it then
// inherits the map in effect). Some pieces switch to SIMPLEX part way.
//
// The package encodes its fields itself and does not import package afp,
// so the ground truth it returns is an independent oracle for afp's index.
package afptest

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
)

// Options shape a run. The zero value writes 100 pages with seed 1.
type Options struct {
	Pages     int    // pages in the run; 0 means 100
	Seed      uint64 // 0 means 1
	TextBytes int    // presentation text per page, about; 0 means 1200
	// SmallPages writes pieces of 1 to 6 pages (3 on average) of about 200
	// bytes each: the salutation is a page's only text, TextBytes is not
	// used. 900,000 pages make about 10 million structured fields.
	SmallPages   bool
	RecordPrefix bool // a 4-byte record descriptor before every field
	// FieldEnd are bytes written after every field: CR LF as a text-mode
	// transfer leaves them, NUL padding. Filler before a field belongs to
	// it: a piece's Offset is that of the bytes ending the field before it.
	FieldEnd []byte
	// RecordLength pads every field (with its record descriptor) with NULs
	// to this many bytes, as fixed-length records hold them; a field
	// longer than that is an error.
	RecordLength int
}

// Map is a medium map of the run's form map.
type Map struct {
	Name          string
	PagesPerSheet int
}

// Attr is a TLE attribute as written.
type Attr struct{ Name, Value string }

// Piece is the truth about one mail piece.
type Piece struct {
	Seq       int
	Name      string // the page group name
	Attrs     []Attr // ACCOUNT, NAME, POSTCODE in that order
	FirstPage int
	Pages     int
	Sheets    int
	Maps      []string // maps its IMMs invoke, in order, each once
	StartMap  string   // the map it inherits when it invokes none before its first page
	Offset    int64    // first byte: its IMM before the group, or its BNG (filler before it included)
	Length    int64    // through its ENG
}

// Value returns the piece's attribute of that name.
func (p Piece) Value(name string) string {
	for _, a := range p.Attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// GroundTruth is what a run holds.
type GroundTruth struct {
	Size       int64
	HeaderLen  int64 // bytes before the first piece
	TrailerLen int64 // bytes after the last piece
	FormMap    string
	Maps       []Map
	Pages      int
	Sheets     int
	Pieces     []Piece
}

// The run's form map, in order: the first is the default.
var runMaps = []Map{{"SIMPLEX", 1}, {"DUPLEX", 2}, {"TUMBLE", 2}, {"NUP2DUP", 4}}

// bodyFor is the text after the salutation on every page.
func bodyFor(opt Options) []byte {
	if opt.SmallPages {
		return nil
	}
	return textBody(opt.TextBytes)
}

// Write writes a run to w and returns its ground truth.
func Write(w io.Writer, opt Options) (GroundTruth, error) {
	if opt.Pages == 0 {
		opt.Pages = 100
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.TextBytes == 0 {
		opt.TextBytes = 1200
	}
	if opt.Pages < 1 || opt.TextBytes < 0 {
		return GroundTruth{}, fmt.Errorf("afptest: %d pages, %d text bytes", opt.Pages, opt.TextBytes)
	}
	g := &gen{
		w:    &sfWriter{bw: bufio.NewWriterSize(w, 1<<20), rdw: opt.RecordPrefix, end: opt.FieldEnd, record: opt.RecordLength},
		rng:  rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9E3779B97F4A7C15)),
		opt:  opt,
		body: bodyFor(opt),
		gt:   GroundTruth{FormMap: "F1OMSD01", Maps: runMaps},
	}
	g.run()
	if err := g.w.flush(); err != nil {
		return GroundTruth{}, fmt.Errorf("afptest: %w", err)
	}
	return g.gt, nil
}
