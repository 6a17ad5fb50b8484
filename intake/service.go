// Package intake takes print files into the spool: from hot folders (with
// package hotfolder), from API uploads and from the network receivers
// (package lpd, sharing package receiver), which hand documents to Submit.
//
// Job states it writes:
//
//	(new)            -> pending or held, reason job-incoming, with the intake
//	                    journal (each file's identity and step): the job is
//	                    recorded before its files move, so a crash leaves
//	                    each file in the hot folder or in its job, never lost
//	job-incoming     -> job-queued or job-hold-until-specified once the files
//	                    are in the job's directory; analysis is woken
//	job-incoming     -> stays incoming while a move fails part way; the hot
//	                    folder's next offer or the retry loop continues it
//	job-incoming     -> held, resources-are-not-ready, when a move fails
//	                    for want of space; it stays incoming, and no file is
//	                    taken while the space gate is closed (diskspace)
//	job-incoming     -> aborted when the file left the hot folder or was
//	                    replaced before it was taken, or an upload could not
//	                    be stored
//
// At start-up Recover removes the temporary files of writes a crash cut off
// and finishes the intakes a crash cut off, from their journal. The error
// folder (ToErrorFolder) receives the print files analysis rejects, each
// with NAME.error.json saying why and what to do next.
//
// It reads nothing other services write; analysis reads the jobs it queued.
package intake

import (
	"context"
	"fmt"
	"os"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// Service is the intake of print files.
type Service struct {
	cfg      *config.Config
	log      zerolog.Logger
	store    *spool.Store
	pub      *events.Publisher
	errorDir string
	analyze  events.Waker // told when a job is queued
	space    *diskspace.Monitor
	hold     jobs.Holder // holds jobs whose files cannot be written for want of space
	// intakes are the jobs whose intake failed part way.
	intakes intakeIndex
	files   sourceFiles // moves and removes hot-folder files
}

// New returns the intake of cfg's hot folders, which wakes analyze when a
// job is queued and takes nothing while space (nil: none watched) says
// space is short. It creates the error folder.
func New(cfg *config.Config, store *spool.Store, pub *events.Publisher, space *diskspace.Monitor, analyze events.Waker, log zerolog.Logger) (*Service, error) {
	s := &Service{cfg: cfg, log: log, store: store, pub: pub, errorDir: cfg.Path(cfg.Spool.ErrorDir), analyze: analyze,
		space: space, hold: jobs.NewHolder(pub, space, log), files: osFiles()}
	if err := os.MkdirAll(s.errorDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", s.errorDir, err)
	}
	return s, nil
}

// Loops are the service's long-running loops, one per hot folder and the
// retry of intakes that failed part way; each returns when ctx ends.
func (s *Service) Loops() []func(context.Context) error {
	loops := []func(context.Context) error{s.retryIntakes}
	for _, h := range s.cfg.HotFolders {
		loops = append(loops, func(ctx context.Context) error { return s.watch(ctx, h) })
	}
	return loops
}
