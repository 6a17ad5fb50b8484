package loop

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// maxCopies is the most copies of each piece a reprint may ask for, as
// many as a network sender may ask of a job.
const maxCopies = 999

// reprintByPolicy reprints the pieces need at once when the workflow's
// policy is auto and they stay within its cap; otherwise the job is held
// for an operator's decision (omsctl reprint).
func (s *Service) reprintByPolicy(rs runStatus, need []int) {
	wf, _ := s.cfg.Workflow(rs.root.Workflow)
	mode, limit := "approve", 0.0
	if wf.Reprint != nil {
		mode = wf.Reprint.Mode
		limit, _ = wf.Reprint.CapShare()
	}
	share := float64(len(need)) / float64(max(1, len(rs.expected)))
	if mode == "auto" && share <= limit {
		if _, err := s.reprint(rs, need, "", 0, ReprintLine, "damaged or unread on the line"); err != nil {
			s.log.Error().Err(err).Int64("job", rs.root.ID).Msg("automatic reprint")
		}
		return
	}
	why := "the workflow's reprint mode is approve"
	if mode == "auto" {
		why = fmt.Sprintf("more than the cap of %s", wf.Reprint.Cap)
	}
	msg := fmt.Sprintf("%d of %d pieces need a reprint (%.1f%%; %s): held for a decision; omsctl reprint %d", len(need), len(rs.expected), share*100, why, rs.root.ID)
	s.log.Warn().Int64("job", rs.root.ID).Ints("pieces", need).Msg(msg)
	s.updateLoop(rs.root.ID, func(j *spool.Job, l *spool.Loop) {
		l.State, l.Reason = spool.LoopDecision, msg
		j.State, j.StateReasons, j.Message = spool.Held, []string{"job-hold-until-specified"}, msg
	})
}

// reprint creates a reprint job of the pieces seqs of a run (whole
// envelopes, see wholeEnvelopes): their metadata, in the run's print
// order, each envelope with its letters and ID and its postage planned
// afresh, a generation above the last, on target (the run's printer or
// pool if ""), in copies (the run's if 0), for reason (ReprintLine,
// ReprintOperator). The job is set up
// before it is queued: a crash before leaves it aborted, and the next
// reconciliation reprints the pieces again.
func (s *Service) reprint(rs runStatus, seqs []int, target string, copies int, reason, why string) (spool.Job, error) {
	root := rs.root
	if err := s.space.Ready(); err != nil {
		return spool.Job{}, fmt.Errorf("%w: reprint of job %d waits for space: %w", api.ErrUnavailable, root.ID, err)
	}
	seqs = printOrder(root, seqs)
	gen := lastGeneration(rs.tracks) + 1
	printer := root.Printer
	if target != "" {
		printer = target
	}
	child, err := s.pub.CreateJob(reprintJob(root, printer, gen, copies))
	if err != nil {
		return child, err
	}
	out, err := s.composeReprint(root, child, seqs)
	if err == nil {
		err = s.trackReprinted(root.ID, child, seqs, why)
	}
	if err != nil {
		if diskspace.IsResource(err) {
			s.space.Fail(err) // no more reprint jobs until space returns
		}
		s.pub.SetState(child.ID, spool.Aborted, "setting up the reprint: "+err.Error(), "aborted-by-system")
		return child, fmt.Errorf("reprint of job %d: %w", root.ID, err)
	}
	child, err = s.pub.Update(child.ID, func(j *spool.Job) error {
		j.Pieces, j.Pages, j.Sheets, j.Format = out.Pieces, out.Pages, out.Sheets, root.Format
		j.Outputs = []spool.Output{out}
		j.StateReasons = []string{"job-queued"}
		j.Message = fmt.Sprintf("reprint %d of job %d: %d pieces (%s)", gen, root.ID, len(seqs), why)
		return nil
	})
	if err != nil {
		return child, err
	}
	s.reopenRun(root, child)
	s.observer.Reprinted(reason, len(seqs))
	s.log.Info().Int64("job", root.ID).Int64("reprint", child.ID).Int("generation", gen).Ints("pieces", seqs).Msg("reprint queued")
	s.route.Wake()
	return child, nil
}

// reprintJob is the job reprint generation gen of the run root prints on
// printer, before its pieces are set. Unless copies says otherwise (an
// operator who counted what is missing), it makes as many copies of each
// piece as the run did: the line reports a piece, not which of its
// copies it lost (they carry the same marks), so every copy is made
// again.
func reprintJob(root spool.Job, printer string, gen, copies int) spool.Job {
	if copies == 0 {
		copies = root.Copies
	}
	return spool.Job{
		Name: fmt.Sprintf("%s (reprint %d)", root.Name, gen), Workflow: root.Workflow, Printer: printer,
		State: spool.Pending, StateReasons: []string{jobs.ReasonIncoming}, Source: "reprint", Input: root.Input,
		ReprintOf: root.ID, Generation: gen, Priority: root.Priority, Copies: copies,
	}
}

// composeReprint gives the reprint job its pieces and its print file,
// composed from the run's input (linked into its directory).
func (s *Service) composeReprint(root, child spool.Job, seqs []int) (spool.Output, error) {
	bySeq, err := jobs.PiecesBySeq(s.store, root.ID)
	if err != nil {
		return spool.Output{}, err
	}
	pieces := make([]spool.Piece, 0, len(seqs))
	out := spool.Output{Name: "reprint", Seqs: seqs, Pieces: len(seqs)}
	for _, s := range seqs {
		p := bySeq[s]
		pieces = append(pieces, p)
		out.Pages, out.Sheets = out.Pages+p.Pages, out.Sheets+p.Sheets
	}
	wf, _ := s.cfg.Workflow(root.Workflow)
	if err := planReprint(wf, pieces); err != nil {
		return out, err
	}
	if err := s.store.SetPieces(child.ID, pieces); err != nil {
		return out, err
	}
	dir, err := s.store.MakeJobDir(child.ID)
	if err != nil {
		return out, err
	}
	if err := linkOrCopy(filepath.Join(s.store.JobDir(root.ID), root.Input), filepath.Join(dir, child.Input)); err != nil {
		return out, err
	}
	c, err := jobs.NewComposer(s.cfg, s.store, root)
	if err != nil {
		return out, err
	}
	c.Dir = dir
	c.File.Generation = child.Generation
	out.File = "output-reprint" + filepath.Ext(root.Outputs[0].File)
	_, err = c.Compose(seqs, out.File)
	return out, err
}

// linkOrCopy hard-links src to dst, or copies it atomically across
// filesystems; an existing dst is kept.
func linkOrCopy(src, dst string) error {
	if fileExists(dst) {
		return nil
	}
	if err := os.Link(src, dst); err == nil {
		return atomicfile.SyncDir(filepath.Dir(dst))
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = atomicfile.WriteFile(dst, f, 0o600)
	return err
}

// trackReprinted adds "reprinted" to the pieces' histories.
func (s *Service) trackReprinted(root int64, child spool.Job, seqs []int, why string) error {
	now := time.Now().UTC()
	entries := make([]spool.TrackEntry, len(seqs))
	for i, s := range seqs {
		entries[i] = spool.TrackEntry{Root: root, Seq: s, Event: spool.PieceEvent{
			Time: now, Kind: spool.TrackReprinted, Job: child.ID, Generation: child.Generation, Detail: why}}
	}
	return s.store.AddTrackEvents(entries)
}

// reopenRun records the reprint on the run and ends a hold for a decision.
func (s *Service) reopenRun(root, child spool.Job) {
	s.updateLoop(root.ID, func(j *spool.Job, l *spool.Loop) {
		l.Reprints = append(l.Reprints, child.ID)
		l.State, l.Reason = spool.LoopOpen, fmt.Sprintf("reprint %d queued as job %d", child.Generation, child.ID)
		if j.State == spool.Held && len(l.Alarms) == 0 {
			j.State, j.StateReasons = jobs.Released(*j)
			j.Message = l.Reason
		}
	})
}

// printOrder returns seqs in the order the run printed them.
func printOrder(root spool.Job, seqs []int) []int {
	pos := map[int]int{}
	n := 0
	for _, o := range root.Outputs {
		for _, s := range o.Seqs {
			if _, ok := pos[s]; !ok {
				pos[s], n = n, n+1
			}
		}
	}
	out := slices.Clone(seqs)
	slices.SortStableFunc(out, func(a, b int) int { return pos[a] - pos[b] })
	return slices.Compact(out)
}

func lastGeneration(tracks map[int][]spool.PieceEvent) int {
	g := 0
	for _, evs := range tracks {
		for _, e := range evs {
			if e.Kind == spool.TrackReprinted {
				g = max(g, e.Generation)
			}
		}
	}
	return g
}

// manualReprint is omsctl reprint: the pieces named, or every piece that
// needs a reprint, of the run job id belongs to.
func (s *Service) manualReprint(id int64, r api.ReprintRequest) (spool.Job, spool.Job, error) {
	j, err := s.store.Job(id)
	if err != nil {
		return j, j, fmt.Errorf("%w: job %d does not exist", api.ErrNotFound, id)
	}
	if r.Target != "" && !s.cfg.IsTarget(r.Target) {
		return j, j, fmt.Errorf("%w: %q is not a printer or pool", api.ErrBadRequest, r.Target)
	}
	if r.Copies < 0 || r.Copies > maxCopies {
		return j, j, fmt.Errorf("%w: copies %d: ask for 1 to %d copies of each piece, or leave it out for the run's", api.ErrBadRequest, r.Copies, maxCopies)
	}
	s.loopMu.Lock()
	defer s.loopMu.Unlock()
	rs, err := s.runStatus(jobs.Root(j))
	if err != nil {
		return j, j, err
	}
	if len(rs.root.Outputs) == 0 {
		return rs.root, j, fmt.Errorf("%w: job %d has no output yet", api.ErrConflict, rs.root.ID)
	}
	seqs := r.Pieces
	if len(seqs) == 0 {
		seqs = rs.with(statusReprint)
	}
	seqs = rs.wholeEnvelopes(seqs)
	if len(seqs) == 0 {
		return rs.root, j, fmt.Errorf("%w: job %d: no piece needs a reprint; name pieces with --pieces", api.ErrConflict, rs.root.ID)
	}
	for _, s := range seqs {
		if _, ok := rs.pieces[s]; !ok {
			return rs.root, j, fmt.Errorf("%w: job %d has no printed piece %d", api.ErrBadRequest, rs.root.ID, s)
		}
	}
	child, err := s.reprint(rs, seqs, r.Target, r.Copies, ReprintOperator, "reprint by the operator")
	if err != nil {
		return rs.root, child, err
	}
	root, err := s.store.Job(rs.root.ID)
	return root, child, err
}
