package queues

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// restart queues pieces of a job to be printed again, as new reprint
// outputs: from one piece on (in print order), exactly some pieces, or
// (with neither) the pieces of unsent outputs no device confirmed. Each
// reprint output holds the pieces of one original output, so an envelope
// stays on one printer. Pieces printed before count a second send.
func (s *Service) restart(id int64, r api.JobRestart) (spool.Job, []spool.Output, error) {
	j, err := s.store.Job(id)
	if err != nil {
		return j, nil, fmt.Errorf("%w: job %d does not exist", api.ErrNotFound, id)
	}
	if j.State == spool.Processing || !jobs.Analyzed(j) {
		return j, nil, fmt.Errorf("%w: job %d is %s; restart it when it is not being sent (hold or wait for it)", api.ErrConflict, id, j.State)
	}
	if err := jobs.KeptData(j); err != nil {
		return j, nil, err
	}
	if r.Target != "" && !s.cfg.IsTarget(r.Target) {
		return j, nil, fmt.Errorf("%w: %q is not a printer or pool", api.ErrBadRequest, r.Target)
	}
	groups, err := restartGroups(j, r)
	if err != nil {
		return j, nil, err
	}
	var added []spool.Output
	for i, g := range groups {
		o, err := s.reprintOutput(j, g, len(j.Outputs)+i, r.Target)
		if err != nil {
			return j, nil, fmt.Errorf("job %d: composing the reprint: %w", id, err)
		}
		added = append(added, o)
	}
	j, err = s.pub.Update(id, func(j *spool.Job) error {
		if j.State == spool.Processing {
			return fmt.Errorf("%w: job %d started being sent", api.ErrConflict, id)
		}
		if err := jobs.KeptData(*j); err != nil {
			return err
		}
		j.Outputs = append(j.Outputs, added...)
		j.State, j.StateReasons = spool.Pending, []string{"job-queued"}
		j.Message = fmt.Sprintf("restarted by the operator: %d pieces in %d reprint outputs", countSeqs(added), len(added))
		return nil
	})
	s.router.Wake()
	return j, added, err
}

// group is the pieces of one original output chosen for a reprint.
type group struct {
	from string // the original output's name
	seqs []int
}

// restartGroups chooses the pieces to reprint, per original output.
func restartGroups(j spool.Job, r api.JobRestart) ([]group, error) {
	want := map[int]bool{}
	for _, s := range r.Pieces {
		want[s] = true
	}
	var groups []group
	found, from := 0, false
	for _, o := range j.Outputs {
		if o.Reprint {
			continue
		}
		g := group{from: o.Name}
		for i, s := range o.Seqs {
			switch {
			case r.FromPiece > 0:
				from = from || s == r.FromPiece
				if from {
					g.seqs = append(g.seqs, s)
				}
			case len(r.Pieces) > 0:
				if want[s] {
					g.seqs, found = append(g.seqs, s), found+1
				}
			case !o.Sent && i >= o.Confirmed:
				g.seqs = append(g.seqs, s)
			}
		}
		if len(g.seqs) > 0 {
			groups = append(groups, g)
		}
	}
	switch {
	case r.FromPiece > 0 && !from:
		return nil, fmt.Errorf("%w: job %d has no piece %d", api.ErrBadRequest, j.ID, r.FromPiece)
	case len(r.Pieces) > 0 && found != len(want):
		return nil, fmt.Errorf("%w: job %d has no pieces with some of the seqs %v (it has %d pieces)", api.ErrBadRequest, j.ID, r.Pieces, j.Pieces)
	case len(groups) == 0:
		return nil, fmt.Errorf("%w: job %d: nothing to restart (every output was confirmed; name pieces with --pieces or --from-piece)", api.ErrConflict, j.ID)
	}
	return groups, nil
}

// reprintOutput composes one reprint output, the index-th of the job.
func (s *Service) reprintOutput(j spool.Job, g group, index int, target string) (spool.Output, error) {
	ext := filepath.Ext(j.Outputs[0].File)
	name := fmt.Sprintf("reprint%d-%s", index+1, g.from)
	if _, err := jobs.ComposeFile(s.cfg, s.store, j, g.seqs, name+ext); err != nil {
		return spool.Output{}, err
	}
	sheets, err := jobs.PieceSheets(s.store, j.ID, g.seqs)
	if err != nil {
		return spool.Output{}, err
	}
	pages, err := s.piecePages(j.ID, g.seqs)
	if err != nil {
		return spool.Output{}, err
	}
	return spool.Output{
		Name: name, File: name + ext, Pieces: len(g.seqs), Pages: pages, Sheets: sum(sheets),
		Seqs: slices.Clone(g.seqs), Target: target, Reprint: true,
	}, nil
}

func (s *Service) piecePages(id int64, seqs []int) (int, error) {
	bySeq, err := jobs.PiecesBySeq(s.store, id)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range seqs {
		n += bySeq[s].Pages
	}
	return n, nil
}

func countSeqs(outs []spool.Output) int {
	n := 0
	for _, o := range outs {
		n += len(o.Seqs)
	}
	return n
}

// moveJob sends a job's unsent outputs to target, a printer or pool.
func (s *Service) moveJob(id int64, targetName string) (spool.Job, error) {
	if !s.cfg.IsTarget(targetName) {
		return spool.Job{}, fmt.Errorf("%w: %q is not a printer or pool", api.ErrBadRequest, targetName)
	}
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	j, err := s.pub.Update(id, func(j *spool.Job) error {
		if j.State.Terminal() {
			return fmt.Errorf("%w: job %d is already %s", api.ErrConflict, id, j.State)
		}
		j.Printer = targetName
		if j.State == spool.Stopped {
			j.State, j.StateReasons = spool.Pending, []string{"job-queued"}
		}
		for i := range j.Outputs {
			o := &j.Outputs[i]
			if !o.Sent && !s.sendingAnywhere(outKey{j.ID, i}) {
				o.Target, o.Printer, o.Failures = "", "", 0
			}
		}
		j.Message = "moved by the operator to " + targetName
		return nil
	})
	s.router.Wake()
	return j, err
}

// setPriority sets a job's dispatch priority.
func (s *Service) setPriority(id int64, prio int) (spool.Job, error) {
	j, err := s.pub.Update(id, func(j *spool.Job) error {
		if j.State.Terminal() {
			return fmt.Errorf("%w: job %d is already %s", api.ErrConflict, id, j.State)
		}
		j.Priority = prio
		return nil
	})
	for _, q := range s.printers {
		q.wake()
	}
	return j, err
}
