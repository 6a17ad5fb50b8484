package intake

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// Recover finishes what omsd's stopping cut off of intake, however it
// stopped, and runs first at start-up: the temporary files of writes a
// crash cut off are removed from every directory omsd writes (see
// removeTempFiles), uploads being received are dropped (none was
// acknowledged), and the intake of a hot-folder file is finished from the
// step its journal records (or the job is aborted if its file is gone). A
// reprint being set up is the loop's to recover.
func (s *Service) Recover() error {
	if err := s.removeTempFiles(); err != nil {
		return err
	}
	s.clearUploads()
	js, err := s.store.JobsInState(spool.Pending, spool.Held, spool.Processing)
	if err != nil {
		return err
	}
	for _, j := range js {
		switch {
		case !jobs.Incoming(j) || j.ReprintOf != 0:
		case submitted(j) && !fileExists(filepath.Join(s.store.JobDir(j.ID), j.Input)):
			s.pub.SetState(j.ID, spool.Aborted, "omsd stopped while it received the file through "+submitVia(api.SubmitOptions{Source: j.Source})+
				"; it was never acknowledged, so its sender sends it again", "aborted-by-system")
			s.log.Info().Int64("job", j.ID).Str("source", j.Source).Msg("a submitted file cut off by a restart: its job is aborted, its sender sends it again")
		default:
			s.recoverIntake(j)
		}
	}
	return nil
}

// submitted reports whether job j came through Submit (the API, a network
// receiver) rather than from a hot folder.
func submitted(j spool.Job) bool {
	switch j.Source {
	case "api", "lpd", "ipp":
		return true
	}
	return false
}

// recoverIntake finishes the intake of job j from the step its journal
// records. A job whose intake still fails stays incoming; the hot folder's
// next offer of its file continues it.
func (s *Service) recoverIntake(j spool.Job) {
	if j.Intake == nil {
		j.Intake = s.legacyIntake(j)
	}
	steps := intakeSteps(j.Intake)
	err := s.intakeFailed(j, s.moveIn(j))
	switch {
	case err == nil:
		s.log.Info().Int64("job", j.ID).Str("file", j.Name).Str("steps", steps).Msg("intake cut off by a restart finished from its journal")
	case errors.Is(err, errSourceChanged):
		s.log.Warn().Err(err).Int64("job", j.ID).Msg("finishing the intake")
	default:
		s.log.Error().Err(err).Int64("job", j.ID).Msg("finishing the intake; retried")
	}
}

// intakeSteps lists the journaled step of each file, for the log.
func intakeSteps(in *spool.Intake) string {
	var s []string
	for _, f := range in.Files {
		s = append(s, filepath.Base(f.Dest)+": "+f.Step)
	}
	return strings.Join(s, ", ")
}

// legacyIntake is the journal of an incoming job stored without one: what
// is in the job directory counts as moved, what is in the hot folder as
// recorded now.
func (s *Service) legacyIntake(j spool.Job) *spool.Intake {
	input := filepath.Join(j.Source, j.Name)
	in := &spool.Intake{}
	add := func(src, dst string) {
		f := spool.IntakeFile{Source: spool.Path(src), Dest: dst, Step: spool.IntakeRecorded}
		if fileExists(filepath.Join(s.store.JobDir(j.ID), dst)) && !fileExists(src) {
			f.Step = spool.IntakeMoved
		}
		f.Ident, _ = identOf(src)
		in.Files = append(in.Files, f)
	}
	add(input, j.Input)
	if j.Sidecar != "" {
		for _, c := range mailpiece.SidecarFor(input) {
			if strings.EqualFold(filepath.Ext(c), filepath.Ext(j.Sidecar)) {
				add(c, j.Sidecar)
			}
		}
	}
	for _, h := range s.cfg.HotFolders {
		if filepath.Clean(s.cfg.Path(h.Dir)) == filepath.Clean(j.Source) {
			in.DoneFile = spool.Path(input + h.DoneSuffix)
		}
	}
	return in
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
