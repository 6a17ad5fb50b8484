package intake

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/omsd/omsd/atomicfile"
)

// omsd writes every file through a temporary name in the file's directory
// and renames it into place; kill -9 or a power loss can leave the temporary
// file behind. These are the temporary names omsd itself makes, and only
// these are ever removed: a user's file never matches them by accident of a
// common pattern such as "*.tmp".
var (
	// atomicfile.WriteWith, drivers/inserter: ".NAME.tmp-<digits>".
	tempAtomic = regexp.MustCompile(`^\..+\.tmp-[0-9]+$`)
	// pdf's output writer: ".NAME.<digits>.tmp".
	tempPDF = regexp.MustCompile(`^\..+\.[0-9]+\.tmp$`)
	// drivers/file: ".omsd-<job>-<digits>.tmp" (copy), ".omsd-<job>-<base36>.link" (link).
	tempFilePrinter = regexp.MustCompile(`^\.omsd-[0-9]+-([0-9]+\.tmp|[0-9a-z]+\.link)$`)
)

// removeTempFiles removes what omsd's own temporary names left in the
// directories omsd writes: the job directories of unfinished jobs (a finished
// job's files are never rewritten), the error folder, the file printers'
// directories and the inserting lines' manifest, done and error folders.
// Hot folders and result folders belong to others and are not touched.
func (s *Service) removeTempFiles() error {
	js, err := s.store.ActiveJobs()
	if err != nil {
		return err
	}
	for _, j := range js {
		s.removeTemps(s.store.JobDir(j.ID), tempAtomic, tempPDF)
	}
	s.removeTemps(s.errorDir, tempAtomic)
	for _, p := range s.cfg.Printers {
		if p.File != nil {
			s.removeTemps(s.cfg.Path(p.File.Dir), tempFilePrinter)
		}
	}
	for _, l := range s.cfg.Lines {
		for _, dir := range []string{l.ManifestDir, l.DoneDir, l.ErrorDir} {
			if dir != "" {
				s.removeTemps(s.cfg.Path(dir), tempAtomic)
			}
		}
	}
	return nil
}

// removeTemps removes the regular files in dir whose names match one of
// patterns, and fsyncs dir if it removed any.
func (s *Service) removeTemps(dir string, patterns ...*regexp.Regexp) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Warn().Err(err).Str("dir", dir).Msg("looking for temporary files")
		}
		return
	}
	removed := 0
	for _, e := range ents {
		if !e.Type().IsRegular() || !matchesAny(e.Name(), patterns) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			s.log.Warn().Err(err).Str("dir", dir).Str("file", e.Name()).Msg("removing a temporary file")
			continue
		}
		removed++
		s.log.Info().Str("dir", dir).Str("file", e.Name()).Msg("removed a temporary file left by an earlier run")
	}
	if removed > 0 {
		if err := atomicfile.SyncDir(dir); err != nil {
			s.log.Warn().Err(err).Msg("removing temporary files")
		}
	}
}

func matchesAny(name string, patterns []*regexp.Regexp) bool {
	for _, p := range patterns {
		if p.MatchString(name) {
			return true
		}
	}
	return false
}
