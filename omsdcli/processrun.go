package omsdcli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/drivers/file"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/pools"
)

// processOutput is one output of a process run and where it went.
type processOutput struct {
	pipeline.Output
	Printer string `json:"printer"` // the printer that printed it (a pool's member)
	Outcome string `json:"outcome"`
}

// processFile runs the pipeline on input and sends its outputs to the
// workflow's printer or pool, output by output, each output for a pool
// with chunk_sheets cut into chunks as the daemon cuts them.
func processFile(ctx context.Context, s *sender, wf config.Workflow, input string) (processResult, error) {
	res := processResult{Input: input, Workflow: wf.Name, Printer: wf.Printer, Outputs: []processOutput{}}
	fail := func(err error) (processResult, error) {
		res.Error = err.Error()
		return res, err
	}
	run, err := nextRunID(s.cfg, time.Now())
	if err != nil {
		return fail(err)
	}
	res.Run = run
	tmp, err := os.MkdirTemp("", "omsd-process-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(tmp)
	f, r, err := pipeline.Plan(wf, input, pipeline.FindSidecar(input))
	res.fill(r)
	if err != nil {
		return fail(err)
	}
	f.Job = strconv.FormatInt(run, 10)
	parts := processParts(s.cfg, wf, &r) // r's pieces are now in print order
	// What is left of the index and the planner's scratch is garbage now:
	// one collection (a few milliseconds at 200,000 pieces) before the
	// outputs are written lets the writers reuse it instead of growing
	// the heap on top of it (15–25 MB less peak RSS at 1,000,000
	// pages, bench/RESULTS.md).
	runtime.GC()
	n := pools.NeedsOf(wf, f.MIME())
	for i, part := range parts {
		out, err := f.Compose(filepath.Join(tmp, fmt.Sprintf("output%03d.%s", i+1, wf.Format)), part.Pieces)
		if err != nil {
			return fail(err)
		}
		out.Name = part.Name
		res.Warnings = append(res.Warnings, out.Warnings...)
		doc := drivers.Document{JobID: run, Path: out.Path, Name: docName(input, part.Name, len(parts)), Format: out.Format, Pages: out.Pages, Sheets: out.Sheets}
		m, outcome, err := s.send(ctx, part.target, doc, n)
		res.Outcome = outcome.String()
		po := processOutput{Output: out, Outcome: outcome.String()}
		if m != nil {
			po.Printer, po.Path = m.Name, m.URI
			if m.cfg.File != nil {
				po.Path = filepath.Join(s.cfg.Path(m.cfg.File.Dir), file.OutputName(doc))
			}
		}
		res.Outputs = append(res.Outputs, po)
		res.Warnings = append(res.Warnings, s.warnings...)
		s.warnings = nil
		if err != nil {
			return fail(err)
		}
		res.PagesOut += out.Pages
	}
	return res, nil
}

// processPart is an output, or a chunk of one, and where it goes.
type processPart struct {
	pipeline.OutputPieces
	target string // printer or pool
}

// processParts are the outputs of a run, each for a pool with
// chunk_sheets cut into chunks of whole envelopes by the pools' rule,
// named as the daemon names them (main.1, main.2, …). It puts r's
// pieces in print order (pipeline.TakeOutputs).
func processParts(cfg *config.Config, wf config.Workflow, r *pipeline.Result) []processPart {
	var parts []processPart
	for _, op := range pipeline.TakeOutputs(wf, r) {
		target := wf.Printer
		if t, ok := wf.Routing.Outputs[op.Name]; ok {
			target = t
		}
		pool, isPool := cfg.Pool(target)
		if !isPool || pool.ChunkSheets <= 0 || sheetsOf(op.Pieces) <= pool.ChunkSheets {
			parts = append(parts, processPart{op, target})
			continue
		}
		envs := envelopesOf(op.Pieces)
		sheets := make([]int, len(envs))
		for i, env := range envs {
			sheets[i] = sheetsOf(env)
		}
		for i, n := range pools.Cut(sheets, pool.ChunkSheets) {
			var chunk []mailpiece.Piece
			for _, env := range envs[:n] {
				chunk = append(chunk, env...)
			}
			envs = envs[n:]
			parts = append(parts, processPart{pipeline.OutputPieces{Name: fmt.Sprintf("%s.%d", op.Name, i+1), Pieces: chunk}, target})
		}
	}
	return parts
}

// envelopesOf groups pieces, in order, into their envelopes as the daemon
// does (jobs.Envelopes).
func envelopesOf(pieces []mailpiece.Piece) [][]mailpiece.Piece {
	bySeq := make(map[int]mailpiece.Piece, len(pieces))
	seqs := make([]int, len(pieces))
	for i, p := range pieces {
		bySeq[p.Seq], seqs[i] = p, p.Seq
	}
	var envs [][]mailpiece.Piece
	for _, env := range jobs.Envelopes(seqs, bySeq) {
		ps := make([]mailpiece.Piece, len(env))
		for i, seq := range env {
			ps[i] = bySeq[seq]
		}
		envs = append(envs, ps)
	}
	return envs
}

func sheetsOf(pieces []mailpiece.Piece) int {
	n := 0
	for _, p := range pieces {
		n += p.Sheets
	}
	return n
}

// docName is the name a device shows for one of a run's n outputs.
func docName(input, output string, n int) string {
	name := filepath.Base(input)
	if n == 1 {
		return name
	}
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "-" + output + ext
}
