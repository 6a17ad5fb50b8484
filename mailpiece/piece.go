// Package mailpiece finds the mail pieces in a print file: the pages that go
// into one envelope, with the metadata the composer attached to them.
//
// Pieces come from a sidecar index written beside the print file (JSON or
// CSV), from the top-level bookmarks of a PDF, or from a fixed number of pages
// per piece. The package is format-neutral: it sees page counts and outline
// entries, never PDF or AFP bytes.
package mailpiece

import (
	"encoding/json"
	"reflect"

	"github.com/omsd/omsd/meta"
)

// Piece is one mail piece: a run of consecutive pages of the input.
type Piece struct {
	Seq       int         `json:"seq"`            // 1-based position in the input
	Name      string      `json:"name,omitempty"` // the piece's own name, e.g. an AFP page group's
	FirstPage int         `json:"first_page"`     // 1-based
	Pages     int         `json:"pages"`
	Sheets    int         `json:"sheets"`
	Meta      meta.Fields `json:"meta,omitzero"`
	Placement *Placement  `json:"plan,omitempty"` // set when the mail run was planned
	// Channel is the channel decided for the piece before planning
	// (email, portal, email+print, suppress); empty: print.
	Channel string `json:"channel,omitempty"`
}

// Printed reports whether the piece stays in the print run: its channel
// is print (or none was decided) or email+print.
func (p Piece) Printed() bool {
	return p.Channel == "" || p.Channel == "print" || p.Channel == "email+print"
}

// Placement is where the mail-run plan put a piece: its envelope, and
// the envelope's class (type, sheets, carrier product, presort level,
// postage, output), which a run shares among all its envelopes of that
// kind: a run of 200,000 envelopes has a few dozen classes, so a placement
// costs its envelope number and a pointer. The class's fields read as the
// placement's own (pl.Product) and are marshalled as its own.
type Placement struct {
	Envelope int `json:"envelope"` // 1-based, in print order
	*EnvelopeClass
}

// EnvelopeClass is what the envelopes of one kind in a plan have in
// common. A class is shared: never change one through a placement.
type EnvelopeClass struct {
	EnvelopeType string `json:"envelope_type"`
	Sheets       int    `json:"envelope_sheets"`
	Product      string `json:"product"`
	Level        string `json:"level"` // presort level, or single-piece
	Price        string `json:"price"` // the envelope's postage, in the rate profile's currency
	Output       string `json:"output"`
	Held         bool   `json:"held,omitempty"` // held for an operator, not printed
	// Inserts are the inserts the envelope takes, as the plan names them.
	Inserts []string `json:"inserts,omitempty"`
}

// Place is the placement of a piece into envelope of class c (nil: the
// zero class).
func Place(envelope int, c *EnvelopeClass) *Placement {
	if c == nil {
		c = &EnvelopeClass{}
	}
	return &Placement{Envelope: envelope, EnvelopeClass: c}
}

// Held is the placement of a piece the plan held for an operator.
func Held() *Placement { return Place(0, &EnvelopeClass{Held: true}) }

// UnmarshalJSON reads a placement as MarshalJSON writes it, with its own
// class (never nil).
func (p *Placement) UnmarshalJSON(data []byte) error {
	type plain Placement
	v := plain{EnvelopeClass: &EnvelopeClass{}}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*p = Placement(v)
	return nil
}

// LastPage is the 1-based number of the piece's last page.
func (p Piece) LastPage() int { return p.FirstPage + p.Pages - 1 }

// SheetsFor is the number of physical sheets that pages take, printed simplex
// or duplex.
func SheetsFor(pages int, duplex bool) int {
	if duplex {
		return (pages + 1) / 2
	}
	return pages
}

// Equal reports whether p and o are the same piece: the same fields, the
// same metadata and the same placement.
func (p Piece) Equal(o Piece) bool {
	if !p.Meta.Equal(o.Meta) || (p.Placement == nil) != (o.Placement == nil) {
		return false
	}
	if p.Placement != nil && !reflect.DeepEqual(*p.Placement, *o.Placement) {
		return false
	}
	p.Meta, o.Meta, p.Placement, o.Placement = meta.Fields{}, meta.Fields{}, nil, nil
	return p == o
}
