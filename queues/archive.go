package queues

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/spool"
)

// Archiver stores the pieces seqs of output out of job j, composed into
// the file at path and about to go to printer, before they are sent; it
// returns once they are durable, and skips pieces it already holds. A
// piece counts as sent only once it is archived.
type Archiver interface {
	ArchiveOutput(ctx context.Context, j spool.Job, out int, printer, path string, seqs []int) error
}

// Option configures a Service.
type Option func(*Service)

// WithArchiver has every output archived before it is sent.
func WithArchiver(a Archiver) Option { return func(s *Service) { s.archiver = a } }

// archive archives the attempt's pieces; false if it could not, the
// output then waits (for space when the store is full, else for the
// retry delay) and its job says why.
func (s *Service) archive(ctx context.Context, a attempt) bool {
	if s.archiver == nil {
		return true
	}
	err := s.archiver.ArchiveOutput(ctx, a.job, a.k.out, a.q.Name, a.doc.Path, a.seqs)
	if err == nil {
		return true
	}
	log := s.attemptLog(a)
	log.Error().Err(err).Msg("archiving the output before sending; the output waits for the archive")
	what := fmt.Sprintf("archiving output %d before it is sent", a.k.out+1)
	if diskspace.IsResource(err) {
		s.hold.Fail(a.job.ID, what, err)
		return false
	}
	s.retry(a, s.cfg.Spool.RetryDelay.Std(), what+": "+err.Error()+"; it is sent once the archive store takes it")
	return false
}
