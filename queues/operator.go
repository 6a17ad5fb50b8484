package queues

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// reanalyse queues a job that was never analysed (its analysis failed,
// say, for want of space) to be analysed again, to a new target if asked.
// Analysis picks it up: the daemon wakes it after an operator's restart.
func (s *Service) reanalyse(j spool.Job, r api.JobRestart) (spool.Job, []spool.Output, error) {
	if r.FromPiece > 0 || len(r.Pieces) > 0 {
		return j, nil, fmt.Errorf("%w: job %d was never analysed, so it has no pieces to choose from; restart it without --from-piece or --pieces to analyse it again", api.ErrBadRequest, j.ID)
	}
	j, err := s.pub.Update(j.ID, func(j *spool.Job) error {
		st, reasons, err := operatorRule(verbRestart, *j, s.inputInSpool(*j))
		if err != nil {
			return err
		}
		if r.Target != "" {
			j.Printer = r.Target
		}
		j.State, j.StateReasons, j.Outputs = st, reasons, nil
		j.Message = "restarted by the operator: analysed again"
		return nil
	})
	return j, nil, err
}

// inputInSpool returns nil when job j's print file (and sidecar) are in
// its spool directory, else why an operator cannot have it printed again.
func (s *Service) inputInSpool(j spool.Job) error {
	if !j.Compacted.IsZero() {
		return fmt.Errorf("its print data was removed by spool.retention on %s; drop the file into the hot folder again", j.Compacted.Format(time.DateTime))
	}
	dir := s.store.JobDir(j.ID)
	for _, f := range []string{j.Input, j.Sidecar} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return fmt.Errorf("its print file is no longer in the spool (%s: %w); the job ended with %q — drop the file into the hot folder again", filepath.Join(dir, f), err, j.Message)
		}
	}
	return nil
}

// spaceWait is how long a printer short of space waits before it looks
// again (the daemon wakes it sooner when space returns).
const spaceWait = 2 * time.Second

// waitsForSpace reports whether printer q writes into a filesystem that
// is short of space (a file printer), so that it does not eat into the
// room the spool keeps for its records.
func (s *Service) waitsForSpace(q *printerQueue) bool {
	if q.cfg.File == nil {
		return false
	}
	return s.space.ReadyFor(s.cfg.Path(q.cfg.File.Dir)) != nil
}
