package loop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/hotfolder"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/records"
	"github.com/omsd/omsd/spool"
)

// resultBatch is how many events of a result file one transaction applies.
const resultBatch = 64

// watchResults takes the complete result files of one inserting line, as a
// hot folder takes print files.
func (s *Service) watchResults(ctx context.Context, line config.Line) error {
	hc := hotfolder.Config{
		Dir: s.cfg.Path(line.ResultDir), Workflow: line.Name,
		StableScans: line.StableScans, ScanInterval: line.ScanInterval.Std(),
		IgnoreExts: []string{".json"},
	}
	log := s.log.With().Str("line", line.Name).Str("dir", hc.Dir).Logger()
	return hotfolder.Watch(ctx, hc, log, func(ctx context.Context, a hotfolder.Arrival) error {
		return s.takeResults(ctx, line, a)
	})
}

// resultRead is a result file read and checked against the spool.
type resultRead struct {
	digest   string
	entries  []spool.TrackEntry // events of known pieces, in file order
	roots    map[int64]bool     // the runs they touch
	problems []string           // bad lines, unknown jobs and pieces
	future   []futureResult     // results dated ahead of omsd's clock
}

// takeResults applies one result file: every event of a known piece is
// added to its history exactly once, even if omsd stops halfway; bad lines
// and unknown jobs or pieces are reported, and such a file goes to the
// line's error folder with NAME.error.json, the others to its done folder.
// When ctx ends it stops between two batches, each a transaction; the file
// stays in the result folder and the next start applies the rest.
func (s *Service) takeResults(ctx context.Context, line config.Line, a hotfolder.Arrival) error {
	log := s.log.With().Str("line", line.Name).Str("file", filepath.Base(a.Path)).Logger()
	rr, err := s.readResults(ctx, line, a.Path)
	if err != nil {
		return err
	}
	rf, seen, err := s.store.ResultFileOf(rr.digest)
	if err != nil {
		return err
	}
	if !seen {
		rf = spool.ResultFile{Digest: rr.digest, Name: filepath.Base(a.Path), Line: line.Name, Total: len(rr.entries)}
	}
	if seen && rf.Done() {
		log.Warn().Str("digest", rr.digest).Msg("result file was applied before (same bytes); not applied again")
	}
	log.Info().Int("events", len(rr.entries)).Int("applied_before", rf.Applied).Int("problems", len(rr.problems)).Msg("applying result file")
	for !rf.Done() {
		if err := ctx.Err(); err != nil {
			log.Info().Int("applied", rf.Applied).Int("events", rf.Total).Msg("stopping mid-file; the rest is applied at the next start")
			return err
		}
		end := min(rf.Applied+resultBatch, len(rr.entries))
		batch := rr.entries[rf.Applied:end]
		if rf, err = s.store.ApplyResults(rf, batch); err != nil {
			return err
		}
		s.observeResults(line.Name, batch)
	}
	log.Info().Int("events", rf.Total).Msg("result file applied")
	s.reportResults(line, a.Path, rr)
	if err := s.fileResults(line, a, rr); err != nil {
		log.Error().Err(err).Msg("moving the result file")
	}
	for root := range rr.roots {
		s.reconcile(root)
	}
	return nil
}

// readResults reads a result file in the line's layout and turns its
// records into piece events of known jobs and pieces. It gives up when ctx
// ends.
func (s *Service) readResults(ctx context.Context, line config.Line, path string) (resultRead, error) {
	f, err := os.Open(path)
	if err != nil {
		return resultRead{}, fmt.Errorf("result file: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	rr := resultRead{roots: map[int64]bool{}}
	known := newPieceIndex(s.store, s.liveTracks)
	r := records.NewReader(io.TeeReader(f, h), line.Result)
	for n := 0; ; n++ {
		if n%resultBatch == 0 && ctx.Err() != nil {
			return resultRead{}, ctx.Err()
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var le *records.LineError
		if errors.As(err, &le) {
			rr.problems = append(rr.problems, le.Error())
			continue
		}
		if errors.Is(err, records.ErrLine) { // a header the file cannot be read without
			rr.problems = append(rr.problems, err.Error())
			break
		}
		if err != nil {
			return resultRead{}, fmt.Errorf("result file %s: %w", path, err)
		}
		res, ok, err := line.Result.ResultOf(rec)
		if err != nil {
			rr.problems = append(rr.problems, err.Error())
			continue
		}
		if ok {
			rr.add(known, line, filepath.Base(path), res, byEnvelope(line))
		}
	}
	if _, err := io.Copy(h, f); err != nil {
		return resultRead{}, fmt.Errorf("result file %s: %w", path, err)
	}
	rr.digest = hex.EncodeToString(h.Sum(nil))
	return rr, nil
}

// byEnvelope reports whether the line's results name envelopes (mail
// piece IDs, as its manifest and the marks' barcodes do) rather than
// letters: the result layout's unit, else its manifest's.
func byEnvelope(line config.Line) bool {
	if line.Result != nil && line.Result.Unit != "" {
		return line.Result.Unit == records.UnitEnvelope
	}
	return line.Manifest == nil || !line.Manifest.PerPiece()
}

// add checks one result against the spool and keeps it as an event of
// the piece it names, or, byEnv, of every letter of the envelope it names.
func (rr *resultRead) add(known *pieceIndex, line config.Line, file string, res records.Result, byEnv bool) {
	j, ok := known.job(res.Job)
	if !ok {
		rr.problems = append(rr.problems, fmt.Sprintf("line %d: job %d is not in the spool", res.Line, res.Job))
		return
	}
	seqs, detail := []int{res.Seq}, "code "+res.Code
	if byEnv {
		seqs, detail = known.envelope(res.Job, res.Seq), fmt.Sprintf("code %s, envelope %d", res.Code, res.Seq)
	}
	if len(seqs) == 0 || !known.has(res.Job, seqs[0]) {
		what := "piece"
		if byEnv {
			what = "envelope"
		}
		rr.problems = append(rr.problems, fmt.Sprintf("line %d: job %d has no %s %d", res.Line, res.Job, what, res.Seq))
		return
	}
	machine := res.Machine
	if machine == "" {
		machine = line.Name
	}
	if res.Time.IsZero() {
		res.Time = time.Now().UTC() // the line gave none: when omsd read it
	}
	root := jobs.Root(j)
	rr.roots[root] = true
	rr.checkTime(root, res, byEnv, time.Now())
	for _, seq := range seqs {
		job, gen := known.printedBy(j, seq)
		rr.entries = append(rr.entries, spool.TrackEntry{Root: root, Seq: seq, Event: spool.PieceEvent{
			Time: res.Time, Kind: res.Event, Job: job, Generation: gen, Line: machine,
			Operator: res.Operator, Detail: detail, File: file, FileLine: res.Line,
		}})
	}
}

// pieceIndex caches the jobs and piece seqs a result file names.
type pieceIndex struct {
	store     *spool.Store
	jobs      map[int64]*spool.Job
	pieces    map[int64]map[int]bool
	envelopes map[int64]map[int][]int // by job: envelope ID -> its letters' seqs
	load      func(root int64) map[int][]spool.PieceEvent
	tracks    map[int64]map[int][]spool.PieceEvent
}

func newPieceIndex(s *spool.Store, load func(int64) map[int][]spool.PieceEvent) *pieceIndex {
	return &pieceIndex{store: s, jobs: map[int64]*spool.Job{}, pieces: map[int64]map[int]bool{}, envelopes: map[int64]map[int][]int{},
		load: load, tracks: map[int64]map[int][]spool.PieceEvent{}}
}

// printedBy is the job and generation whose print of piece seq a result
// for job j is about: j itself for a reprint job; for the run's first job
// (a reprint keeps its job id) the piece's last reprint, if any.
func (x *pieceIndex) printedBy(j spool.Job, seq int) (int64, int) {
	if j.ReprintOf != 0 {
		return j.ID, j.Generation
	}
	if _, ok := x.tracks[j.ID]; !ok {
		x.tracks[j.ID] = x.load(j.ID)
	}
	job, gen := j.ID, 0
	for _, e := range x.tracks[j.ID][seq] {
		if e.Kind == spool.TrackReprinted {
			job, gen = e.Job, e.Generation
		}
	}
	return job, gen
}

func (x *pieceIndex) job(id int64) (spool.Job, bool) {
	if j, ok := x.jobs[id]; ok {
		return *j, j != nil && j.ID != 0
	}
	j, err := x.store.Job(id)
	if err != nil {
		x.jobs[id] = &spool.Job{}
		return spool.Job{}, false
	}
	x.jobs[id] = &j
	seqs, envs := map[int]bool{}, map[int][]int{}
	if ps, err := x.store.Pieces(id); err == nil {
		for _, p := range ps {
			seqs[p.Seq] = true
			if env, ok := envelopeOf(p); ok {
				envs[env] = append(envs[env], p.Seq)
			}
		}
	}
	x.pieces[id], x.envelopes[id] = seqs, envs
	return j, true
}

func (x *pieceIndex) has(id int64, seq int) bool { return x.pieces[id][seq] }

// envelope lists the letters of envelope env of job id.
func (x *pieceIndex) envelope(id int64, env int) []int { return x.envelopes[id][env] }

// envelopeOf is the envelope ID the marks and the manifest give piece p:
// its envelope of the plan, else its seq; a piece the plan held back is
// in none.
func envelopeOf(p spool.Piece) (int, bool) {
	if pl := p.Placement; pl != nil {
		if pl.Held {
			return 0, false
		}
		if pl.Envelope != 0 {
			return pl.Envelope, true
		}
	}
	return p.Seq, true
}

// reportResults logs a result file's problems and records them as
// warnings, on each job the file names, or on the spool for unknown jobs.
func (s *Service) reportResults(line config.Line, path string, rr resultRead) {
	name := filepath.Base(path)
	for root := range rr.roots {
		n := 0
		for _, e := range rr.entries {
			if e.Root == root {
				n++
			}
		}
		s.store.AddEvent(spool.Event{Job: root, Type: "info", Message: fmt.Sprintf("line %s: result file %s: %d piece events", line.Name, name, n)})
	}
	s.warnFuture(line, name, rr)
	for _, p := range rr.problems {
		s.log.Warn().Str("line", line.Name).Str("file", name).Msg("result file: " + p)
		s.store.AddEvent(spool.Event{Type: "warning", Message: fmt.Sprintf("line %s: result file %s: %s", line.Name, name, p)})
	}
	s.pub.Flush()
}

// resultReport is written as NAME.error.json beside a quarantined result
// file.
type resultReport struct {
	File     string    `json:"file"`
	Line     string    `json:"line"`
	Applied  int       `json:"applied"` // events of known pieces, applied
	Problems []string  `json:"problems"`
	Time     time.Time `json:"time"`
	Next     string    `json:"next"`
}

// fileResults moves an applied result file out of the line's folder: to
// the error folder, with the reasons, if it had problems.
func (s *Service) fileResults(line config.Line, a hotfolder.Arrival, rr resultRead) error {
	dir := s.cfg.Path(line.DoneDir)
	if len(rr.problems) > 0 {
		dir = s.cfg.Path(line.ErrorDir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dst := atomicfile.FreeName(filepath.Join(dir, filepath.Base(a.Path)))
	if len(rr.problems) > 0 {
		rep := resultReport{File: filepath.Base(dst), Line: line.Name, Applied: len(rr.entries), Problems: rr.problems,
			Time: time.Now().UTC(), Next: "the events of known pieces were applied; fix the lines listed and drop only those into the result folder again"}
		if err := writeJSONFile(dst+".error.json", rep); err != nil {
			return err
		}
	}
	if err := atomicfile.Move(a.Path, dst); err != nil {
		return err
	}
	if a.DoneFile != "" {
		os.Remove(a.DoneFile)
	}
	return nil
}
