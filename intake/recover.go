package intake

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// Recover finishes the intakes that omsd's stopping cut off, however it
// stopped: the files are moved into their jobs, or the job is aborted if
// its file is gone. A reprint being set up is the loop's to recover.
func (s *Service) Recover() error {
	js, err := s.store.Jobs(spool.Pending, spool.Held, spool.Processing)
	if err != nil {
		return err
	}
	for _, j := range js {
		if jobs.Incoming(j) && j.ReprintOf == 0 {
			s.recoverIntake(j)
		}
	}
	return nil
}

func (s *Service) recoverIntake(j spool.Job) {
	dir := s.store.JobDir(j.ID)
	input := filepath.Join(j.Source, j.Name)
	if _, err := os.Stat(filepath.Join(dir, j.Input)); err != nil && !fileExists(input) {
		s.log.Warn().Int64("job", j.ID).Str("file", j.Name).Msg("intake was cut off and the file is gone")
		s.pub.SetState(j.ID, spool.Aborted, "intake was cut off by a restart and the print file was not received; if it is still in the hot folder it arrives as a new job", "aborted-by-system")
		return
	}
	sidecar := ""
	if j.Sidecar != "" {
		for _, c := range mailpiece.SidecarFor(input) {
			if strings.EqualFold(filepath.Ext(c), filepath.Ext(j.Sidecar)) {
				sidecar = c
			}
		}
	}
	done := ""
	for _, h := range s.cfg.HotFolders {
		if filepath.Clean(s.cfg.Path(h.Dir)) == filepath.Clean(j.Source) {
			done = input + h.DoneSuffix
		}
	}
	if err := s.finishIntake(j, input, sidecar, done); err != nil {
		s.log.Error().Err(err).Int64("job", j.ID).Msg("finishing the intake")
		s.pub.SetState(j.ID, spool.Aborted, "finishing the intake after a restart: "+err.Error(), "aborted-by-system")
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
