package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/pools"
	"github.com/omsd/omsd/spool"
)

// outputsOf turns the pipeline's outputs into the job's: each with its
// pieces in print order and its target (the workflow's printer or pool,
// or routing.outputs for a plan output). An output for a pool with
// chunk_sheets is cut into chunks of at most that many sheets at envelope
// boundaries, each its own file, so the members print them in parallel
// and no envelope spans two printers.
func (s *Service) outputsOf(wf config.Workflow, r pipeline.Result, j spool.Job) ([]spool.Output, error) {
	bySeq := make(map[int]mailpiece.Piece, len(r.Pieces))
	for _, p := range r.Pieces {
		bySeq[p.Seq] = p
	}
	var outs []spool.Output
	for _, o := range r.Outputs {
		so := spool.Output{Name: o.Name, File: filepath.Base(o.Path), Pieces: o.Pieces, Pages: o.Pages, Sheets: o.Sheets}
		so.Seqs = outputSeqs(wf, r, o.Name)
		if t, ok := wf.Routing.Outputs[o.Name]; ok {
			so.Target = t
		}
		pool, isPool := s.cfg.Pool(jobs.Target(j, so))
		if !isPool || pool.ChunkSheets <= 0 || o.Sheets <= pool.ChunkSheets {
			outs = append(outs, so)
			continue
		}
		chunks, err := s.chunk(j, so, bySeq, pool.ChunkSheets)
		if err != nil {
			return nil, err
		}
		os.Remove(o.Path) // the chunks replace it
		outs = append(outs, chunks...)
	}
	return outs, nil
}

// outputSeqs is the print order of one output's pieces.
func outputSeqs(wf config.Workflow, r pipeline.Result, name string) []int {
	if r.Plan != nil {
		return r.Plan.Outputs[name]
	}
	var seqs []int
	for _, p := range pipeline.Order(r.Pieces, wf.SortBy) {
		seqs = append(seqs, p.Seq)
	}
	return seqs
}

// chunk cuts an output into chunk outputs of at most max sheets by the
// pools' rule, never inside an envelope (an envelope larger than max is a
// chunk of its own).
func (s *Service) chunk(j spool.Job, o spool.Output, bySeq map[int]mailpiece.Piece, max int) ([]spool.Output, error) {
	c, err := jobs.NewComposer(s.cfg, s.store, j)
	if err != nil {
		return nil, err
	}
	envs := jobs.Envelopes(o.Seqs, bySeq)
	sheets := make([]int, len(envs))
	for i, env := range envs {
		for _, seq := range env {
			sheets[i] += bySeq[seq].Sheets
		}
	}
	var chunks []spool.Output
	ext := filepath.Ext(o.File)
	for _, n := range pools.Cut(sheets, max) {
		cur := spool.Output{Target: o.Target, Name: fmt.Sprintf("%s.%d", o.Name, len(chunks)+1),
			File: fmt.Sprintf("%s.chunk%03d%s", strings.TrimSuffix(o.File, ext), len(chunks)+1, ext)}
		for _, env := range envs[:n] {
			cur.Seqs = append(cur.Seqs, env...)
		}
		envs = envs[n:]
		out, err := c.ComposeOutput(cur.Seqs, cur.File)
		if err != nil {
			return nil, fmt.Errorf("chunk %d of output %s: %w", len(chunks)+1, o.Name, err)
		}
		cur.Pieces, cur.Pages, cur.Sheets = out.Pieces, out.Pages, out.Sheets
		chunks = append(chunks, cur)
	}
	return chunks, nil
}
