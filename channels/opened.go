package channels

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// readOpened reads the portals' reports of opened pieces: an empty file
// JOB-SEQ.opened marks that piece opened (an opened event), so that it is
// not sent to print when its time runs out. The delivery is recorded
// before the file moves to done/.
func (s *Service) readOpened() {
	dirs := map[string]bool{}
	for _, wf := range s.cfg.Workflows {
		if ch := wf.Channels; ch != nil && ch.Portal != nil && ch.Portal.OpenedDir != "" {
			dirs[ch.Portal.OpenedDir] = true
		}
	}
	for dir := range dirs {
		names, err := filepath.Glob(filepath.Join(dir, "*.opened"))
		if err != nil {
			continue
		}
		for _, name := range names {
			if err := s.markOpened(name); err != nil {
				s.log.Warn().Err(err).Str("file", name).Msg("a report of an opened piece could not be applied; it stays for the next look")
				continue
			}
			if err := os.MkdirAll(filepath.Join(dir, "done"), 0o755); err != nil {
				s.log.Error().Err(err).Msg("moving a report of an opened piece")
				continue
			}
			if err := atomicfile.Move(name, atomicfile.FreeName(filepath.Join(dir, "done", filepath.Base(name)))); err != nil {
				s.log.Error().Err(err).Msg("moving a report of an opened piece")
			}
		}
	}
}

// markOpened records the piece a JOB-SEQ.opened file names as opened.
func (s *Service) markOpened(name string) error {
	var job int64
	var seq int
	if _, err := fmt.Sscanf(strings.TrimSuffix(filepath.Base(name), ".opened"), "%d-%d", &job, &seq); err != nil {
		return fmt.Errorf("the name is not JOB-SEQ.opened")
	}
	ds, err := s.store.Deliveries(job)
	if err != nil {
		return err
	}
	d, ok := ds[seq]
	if !ok || d.Channel != "portal" || !d.Opened.IsZero() {
		return nil // not a portal piece, or already marked
	}
	j, err := s.store.Job(job)
	if err != nil {
		return err
	}
	d.Opened = time.Now().UTC()
	return s.store.PutDeliveries([]spool.Delivery{d}, []spool.TrackEntry{{Root: jobs.Root(j), Seq: seq,
		Event: spool.PieceEvent{Time: d.Opened, Kind: spool.TrackOpened, Job: job, Detail: filepath.Base(name)}}})
}
