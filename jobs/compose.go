package jobs

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// PiecesBySeq reads the pieces of job id by their sequence numbers.
func PiecesBySeq(store *spool.Store, id int64) (map[int]mailpiece.Piece, error) {
	pieces, err := store.Pieces(id)
	if err != nil {
		return nil, err
	}
	bySeq := make(map[int]mailpiece.Piece, len(pieces))
	for _, p := range pieces {
		bySeq[p.Seq] = p
	}
	return bySeq, nil
}

// PieceSheets returns the sheets of the pieces seqs of job id.
func PieceSheets(store *spool.Store, id int64, seqs []int) ([]int, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	bySeq, err := PiecesBySeq(store, id)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(seqs))
	for i, s := range seqs {
		p, ok := bySeq[s]
		if !ok {
			return nil, fmt.Errorf("job %d has no piece %d", id, s)
		}
		out[i] = p.Sheets
	}
	return out, nil
}

// Envelopes groups seqs, in order, into runs that share an envelope of the
// plan; a piece without one is a run of its own.
func Envelopes(seqs []int, bySeq map[int]mailpiece.Piece) [][]int {
	var runs [][]int
	last := 0
	for _, s := range seqs {
		env := 0
		if pl := bySeq[s].Placement; pl != nil {
			env = pl.Envelope
		}
		if env == 0 || env != last || len(runs) == 0 {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], s)
		last = env
	}
	return runs
}

// ComposeFile writes the pieces seqs of job j, in that order, from the
// job's input into the file name in its directory, and returns its path.
func ComposeFile(cfg *config.Config, store *spool.Store, j spool.Job, seqs []int, name string) (string, error) {
	c, err := NewComposer(cfg, store, j)
	if err != nil {
		return "", err
	}
	return c.Compose(seqs, name)
}

// Composer writes subsets of a job's pieces from its opened input.
type Composer struct {
	Dir   string         // where Compose writes; the job's directory
	File  *pipeline.File // the job's input, opened
	id    int64
	bySeq map[int]mailpiece.Piece
}

// NewComposer opens the input of job j with its workflow.
func NewComposer(cfg *config.Config, store *spool.Store, j spool.Job) (*Composer, error) {
	wf, ok := Workflow(cfg, j)
	if !ok {
		return nil, fmt.Errorf("workflow %q is no longer configured", j.Workflow)
	}
	bySeq, err := PiecesBySeq(store, j.ID)
	if err != nil {
		return nil, err
	}
	dir := store.JobDir(j.ID)
	f, err := pipeline.Open(filepath.Join(dir, j.Input), wf)
	if err != nil {
		return nil, err
	}
	f.Job, f.Generation = strconv.FormatInt(Root(j), 10), j.Generation
	return &Composer{Dir: dir, File: f, id: j.ID, bySeq: bySeq}, nil
}

// Compose writes the pieces seqs into the file name of the directory.
func (c *Composer) Compose(seqs []int, name string) (string, error) {
	out, err := c.ComposeOutput(seqs, name)
	return out.Path, err
}

// ComposeOutput is Compose returning what was written: its pages (blank
// backs the marks added included) and sheets.
func (c *Composer) ComposeOutput(seqs []int, name string) (pipeline.Output, error) {
	pieces := make([]mailpiece.Piece, 0, len(seqs))
	for _, s := range seqs {
		p, ok := c.bySeq[s]
		if !ok {
			return pipeline.Output{}, fmt.Errorf("job %d has no piece %d", c.id, s)
		}
		pieces = append(pieces, p)
	}
	return c.File.Compose(filepath.Join(c.Dir, name), pieces)
}
