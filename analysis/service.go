// Package analysis turns a received job's print file into mail pieces, a
// mail-run plan and outputs ready to send, with the pipeline package.
//
// Job states it writes (it reads the jobs intake queued: pending or held,
// without pieces, no longer job-incoming):
//
//	pending/held -> same state with pieces, pages, sheets, outputs and
//	                format; a pending job's reason becomes
//	                job-queued-for-marker, and queues is woken
//	pending/held -> aborted with a reason (document-format-error, ...) when
//	                the file cannot be processed; the file goes to the error
//	                folder through the ErrorFolder it was given (intake's)
//	pending/held -> held, resources-are-not-ready, when its data cannot be
//	                written (a full disk: see package diskspace), or while
//	                the space gate is closed; the daemon resumes it
//
// It starts the pieces' histories (received, planned) that the loop
// follows, writes a planned job's postage report (Plan), cuts outputs for
// pools with chunk_sheets into chunks at envelope boundaries, and previews
// a piece's inserter marks (Preview).
package analysis

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// ErrorFolder takes a rejected job's print file out of the spool, with the
// reason beside it, and returns where the file went.
type ErrorFolder interface {
	ToErrorFolder(j spool.Job, reason string, cause error) (string, error)
}

// Service analyses received jobs, oldest first, up to analysis.workers at
// a time, each job by one worker.
type Service struct {
	cfg         *config.Config
	log         zerolog.Logger
	store       *spool.Store
	pub         *events.Publisher
	wake        *events.Signal // a job may be waiting
	route       events.Waker   // told when a job's outputs are ready
	errorFolder ErrorFolder    // takes the files it rejects
	space       *diskspace.Monitor
	hold        jobs.Holder // holds jobs that cannot be written for want of space
	channels    Channels    // decides each piece's channel; nil: all print
}

// Channels decides the channel of each piece of job j (of workflow wf)
// before planning; a nil Route prints every piece.
type Channels interface {
	Route(j spool.Job, wf config.Workflow) (pipeline.Route, error)
}

// DecideChannels has c decide each piece's channel before planning.
func (s *Service) DecideChannels(c Channels) { s.channels = c }

// New returns the analysis service: wake tells it a job was received,
// route is woken when a job's outputs are ready, rejected files go to
// errorFolder, and space (nil: none watched) gates its writes.
func New(cfg *config.Config, store *spool.Store, pub *events.Publisher, space *diskspace.Monitor, wake *events.Signal, route events.Waker, errorFolder ErrorFolder, log zerolog.Logger) *Service {
	return &Service{cfg: cfg, log: log, store: store, pub: pub, wake: wake, route: route, errorFolder: errorFolder,
		space: space, hold: jobs.NewHolder(pub, space, log)}
}

// Loops are the service's long-running loops.
func (s *Service) Loops() []func(context.Context) error {
	return []func(context.Context) error{s.analyzeLoop}
}
