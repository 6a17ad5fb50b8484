package analysis

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// Preview returns the planned marks of the sheets of one piece of a job
// whose workflow draws marks, and on request a PNG of them.
func (s *Service) Preview(ctx context.Context, id int64, seq int, withImage bool) (api.Preview, error) {
	j, err := jobs.Find(s.store, id)
	if err != nil {
		return api.Preview{}, err
	}
	wf, ok := jobs.Workflow(s.cfg, j)
	if !ok || wf.Marks == nil || wf.Marks.Loaded() == nil {
		return api.Preview{}, fmt.Errorf("%w: job %d: workflow %q draws no inserter marks (no marks section)", api.ErrConflict, id, j.Workflow)
	}
	p := wf.Marks.Loaded()
	o, err := s.previewOutput(j, seq, wf.Format, wf.Duplex || (wf.Postage != nil && wf.Postage.Duplex))
	if err != nil {
		return api.Preview{}, err
	}
	o.Resources = wf.AFP.Resources
	o.Run = pipeline.MarkRun{Job: strconv.FormatInt(jobs.Root(j), 10), Generation: j.Generation, DivertField: wf.Marks.DivertField}
	sheets, err := pipeline.PreviewSheets(p, o, seq)
	if err != nil {
		return api.Preview{}, fmt.Errorf("job %d: %w", id, err)
	}
	pv := api.Preview{Job: id, Piece: seq, Output: filepath.Base(o.Path), Profile: p.Name, Format: wf.Format}
	if p.OMR != nil {
		pv.Positions = p.OMR.Positions
	}
	for _, s := range sheets {
		pv.Sheets = append(pv.Sheets, previewSheet(s))
	}
	if withImage {
		if pv.PNG, err = previewPNG(p, o, seq, sheets); err != nil {
			return api.Preview{}, fmt.Errorf("job %d piece %d: preview: %w", id, seq, err)
		}
	}
	return pv, nil
}

// previewOutput finds the output that prints piece seq of job j.
func (s *Service) previewOutput(j spool.Job, seq int, format string, duplex bool) (pipeline.PreviewOutput, error) {
	if !jobs.Analyzed(j) {
		return pipeline.PreviewOutput{}, fmt.Errorf("%w: job %d is not analysed yet (state %s)", api.ErrConflict, j.ID, j.State)
	}
	k := slices.IndexFunc(j.Outputs, func(o spool.Output) bool { return slices.Contains(o.Seqs, seq) })
	if k < 0 {
		return pipeline.PreviewOutput{}, fmt.Errorf("%w: job %d prints no piece %d", api.ErrNotFound, j.ID, seq)
	}
	out := j.Outputs[k]
	path := filepath.Join(s.store.JobDir(j.ID), out.File)
	if _, err := os.Stat(path); err != nil {
		return pipeline.PreviewOutput{}, fmt.Errorf("%w: job %d: output %s: %w", api.ErrNotFound, j.ID, out.Name, err)
	}
	bySeq, err := jobs.PiecesBySeq(s.store, j.ID)
	if err != nil {
		return pipeline.PreviewOutput{}, err
	}
	pieces := make([]mailpiece.Piece, 0, len(out.Seqs))
	for _, s := range out.Seqs {
		pieces = append(pieces, bySeq[s])
	}
	return pipeline.PreviewOutput{Path: path, Format: format, Duplex: duplex, Pieces: pieces}, nil
}

func previewSheet(s marks.SheetMarks) api.PreviewSheet {
	var code strings.Builder
	for _, on := range s.OMR {
		code.WriteByte('0' + byte(btoi(on)))
	}
	return api.PreviewSheet{Envelope: s.Envelope, SheetInEnvelope: s.SheetInEnvelope, SheetsInEnvelope: s.SheetsInEnvelope,
		SheetInPiece: s.SheetInPiece, Counter: s.Counter, Sequence: s.Sequence, Match: s.Match,
		OMR: code.String(), Barcode: s.Barcode, IMb: s.IMb}
}

func previewPNG(p *marks.Profile, o pipeline.PreviewOutput, seq int, sheets []marks.SheetMarks) ([]byte, error) {
	g, err := pipeline.PreviewImage(p, o, seq, sheets)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
