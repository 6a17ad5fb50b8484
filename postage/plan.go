package postage

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/omsd/omsd/meta"
)

// Piece is one mail piece of a job, as the piece index describes it.
type Piece struct {
	Seq   int `json:"seq"`   // unique within the job
	Pages int `json:"pages"` // pages of content; the plan computes its sheets from them
	// Sheets are the sheets as the input was printed; the "before" costing
	// uses them (Pages when 0).
	Sheets int         `json:"sheets"`
	Meta   meta.Fields `json:"meta,omitzero"`
}

// Plan is the result of planning a job.
type Plan struct {
	// Envelopes in print order; Envelope.ID is the 1-based position.
	Envelopes []Envelope `json:"envelopes"`
	// Order lists the sequence numbers of the pieces to print, in print
	// order; held pieces are not in it. The envelopes' Pieces, and the
	// output of a plan with one output, share its memory.
	Order []int `json:"order"`
	// Outputs maps each output to its pieces' sequence numbers, in print
	// order.
	Outputs    map[string][]int `json:"outputs"`
	Containers []Container      `json:"containers,omitempty"`
	// Held lists the pieces held for an operator (Config.Fallback hold).
	Held []int `json:"held,omitempty"`
	// Exceptions lists the pieces with bad data; the JSON form has them in
	// the report.
	Exceptions []Exception `json:"-"`
	Report     Report      `json:"report"`
}

// Envelope is one mail piece as it goes to the carrier.
type Envelope struct {
	ID     int    `json:"id"`     // 1-based position in print order
	Pieces []int  `json:"pieces"` // piece sequence numbers, in insertion order
	Sheets int    `json:"sheets"`
	Weight Weight `json:"weight_g"`
	// Type is the envelope type (its format is in the configuration);
	// empty if no type holds the sheets.
	Type   string   `json:"envelope"`
	Insert []string `json:"inserts,omitempty"`
	// Product is empty, and Price 0, when no product takes the envelope.
	Product string `json:"product"`
	Level   string `json:"level"` // presort level, or single-piece
	Price   Money  `json:"price"`
	// Container is the Container.ID it travels in, 0 for none; the
	// container names the presort stream.
	Container int `json:"container,omitempty"`
	// Number is the running number within the presort stream; single-piece
	// envelopes have their own sequence.
	Number      int    `json:"number"`
	PostalCode  string `json:"postal_code,omitempty"` // normalised
	Output      string `json:"output"`
	Exception   string `json:"exception,omitempty"`   // code of its piece's data problem, if any
	Unconfirmed bool   `json:"unconfirmed,omitempty"` // the price is not confirmed
	Overflow    bool   `json:"overflow,omitempty"`    // rides in a coarser level's container
}

// Container is a tray or box of presorted envelopes.
type Container struct {
	ID        int    `json:"id"` // 1-based, in print order
	Stream    string `json:"stream"`
	Level     string `json:"level"`
	Group     string `json:"group"` // ZIP, 3-digit prefix, AADC, Leitregion, or "" for mixed
	Kind      string `json:"kind"`
	Label     string `json:"label"`   // destination line
	Content   string `json:"content"` // content line
	Envelopes int    `json:"envelopes"`
	Pieces    int    `json:"pieces"`
	First     int    `json:"first"` // Envelope.ID of its first and last envelope
	Last      int    `json:"last"`
}

// Exception is a piece with data the plan cannot use as it is.
type Exception struct {
	Seq    int    `json:"seq"`
	Code   string `json:"code"`   // see the Exception constants
	Reason string `json:"reason"` // for people
	Action string `json:"action"` // single-piece or hold
}

// Exception codes.
const (
	ExcNoPostalCode  = "postal-code-missing"
	ExcBadPostalCode = "postal-code-malformed"
	ExcCountry       = "country-unknown"
	ExcNoEnvelope    = "no-envelope"
	ExcNoProduct     = "no-product"
)

// LevelSingle is the level of envelopes that are not presorted.
const LevelSingle = "single-piece"

// Make plans the postage of pieces. cfg is prepared (Config.Prepare) on a
// copy, so a nil Profile is loaded on each call; prepare once and reuse the
// configuration to avoid that. The result is deterministic.
func Make(pieces []Piece, cfg Config) (*Plan, error) {
	return plan(pieces, cfg, nil)
}

// MakeEach is Make for callers that take the envelopes one by one: each
// is called with every envelope, in print order, and the plan's
// Envelopes stay nil. A large run's envelopes are then never all held at
// once; e's Pieces is a window on the plan's Order.
func MakeEach(pieces []Piece, cfg Config, each func(e Envelope)) (*Plan, error) {
	return plan(pieces, cfg, each)
}

func plan(pieces []Piece, cfg Config, each func(Envelope)) (*Plan, error) {
	if err := cfg.Prepare(); err != nil {
		return nil, err
	}
	if err := checkPieces(pieces); err != nil {
		return nil, err
	}
	pl := newPlanner(pieces, &cfg)
	pl.checkData()
	pl.buildEnvelopes()
	pl.costBefore()
	if cfg.Presort.Enabled {
		pl.presort()
	}
	pl.order()
	pl.split()
	pl.releaseScratch()
	plan := pl.result(each)
	plan.Report = pl.report(plan)
	return plan, nil
}

// releaseScratch lets go of the working data that only householding,
// presort and ordering use, so that the plan's envelopes can take its
// place.
func (pl *planner) releaseScratch() {
	pl.hashes, pl.keys, pl.keyAt, pl.keyBuf = nil, arena{}, nil, nil
	pl.scratch, pl.candKeys, pl.candBuf, pl.take, pl.placed = nil, nil, nil, nil, nil
}

// checkPieces rejects pieces that cannot be planned at all.
func checkPieces(pieces []Piece) error {
	if len(pieces) == 0 {
		return nil
	}
	lo, hi := pieces[0].Seq, pieces[0].Seq
	for i, p := range pieces {
		if p.Pages < 0 || p.Sheets < 0 {
			return fmt.Errorf("%w: piece %d (index %d): negative pages or sheets", ErrPieces, p.Seq, i)
		}
		lo, hi = min(lo, p.Seq), max(hi, p.Seq)
	}
	if span := uint64(hi) - uint64(lo); span < 8*uint64(len(pieces)) {
		seen := make([]uint64, span/64+1)
		for _, p := range pieces {
			d := uint64(p.Seq) - uint64(lo)
			if seen[d/64]&(1<<(d%64)) != 0 {
				return fmt.Errorf("%w: sequence number %d used twice", ErrPieces, p.Seq)
			}
			seen[d/64] |= 1 << (d % 64)
		}
		return nil
	}
	seqs := make([]int, len(pieces))
	for i, p := range pieces {
		seqs[i] = p.Seq
	}
	slices.Sort(seqs)
	for i := 1; i < len(seqs); i++ {
		if seqs[i] == seqs[i-1] {
			return fmt.Errorf("%w: sequence number %d used twice", ErrPieces, seqs[i])
		}
	}
	return nil
}

// result builds the exported plan; the envelopes are in print order,
// passed to each instead when it is not nil. The envelopes' Pieces are
// windows on Order.
func (pl *planner) result(each func(Envelope)) *Plan {
	plan := &Plan{
		Order:      pl.seqs,
		Outputs:    pl.outputs(),
		Containers: pl.conts,
		Held:       pl.held,
		Exceptions: pl.exc,
	}
	slices.Sort(plan.Held)
	slices.SortStableFunc(plan.Exceptions, func(a, b Exception) int { return cmp.Compare(a.Seq, b.Seq) })
	if each == nil {
		plan.Envelopes = make([]Envelope, len(pl.envs))
		each = func(e Envelope) { plan.Envelopes[e.ID-1] = e }
	}
	for k := range pl.envs {
		e := &pl.envs[k]
		end := e.first + e.n
		each(pl.exported(k, e, pl.seqs[e.first:end:end]))
	}
	return plan
}

// exported is the Envelope of e, at print position k, with its pieces'
// sequence numbers.
func (pl *planner) exported(k int, e *envelope, seqs []int) Envelope {
	out := Envelope{
		ID: k + 1, Pieces: seqs, Sheets: int(e.sheets), Weight: e.weight,
		Insert: pl.insertNames(e.inserts), Level: pl.levelName(e), Price: e.price,
		Unconfirmed: e.unconf, Number: int(e.number), PostalCode: pl.postal(e),
		Overflow: e.overflow, Output: pl.outNames[e.out], Exception: excCodes[e.exc],
	}
	if e.typ >= 0 {
		out.Type = pl.types[e.typ].Name
	}
	if e.product >= 0 {
		out.Product = pl.prof.Products[e.product].Name
	}
	if e.cont >= 0 {
		out.Container = int(e.cont) + 1
	}
	return out
}
