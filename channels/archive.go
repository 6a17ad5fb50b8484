package channels

import (
	"context"
	"time"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// Archiver stores piece p of job j as delivered on channel (email or
// portal) to recipient (the address, or the portal's target): the file at
// path, the exact bytes attached or dropped. It returns once they are
// durable, and does nothing for a delivery it already holds. A digital
// piece is delivered only once it is archived.
type Archiver interface {
	ArchiveDelivery(ctx context.Context, j spool.Job, p mailpiece.Piece, channel, recipient, path string) error
}

// Option configures a Service.
type Option func(*Service)

// WithArchiver has every digital delivery archived before it is made.
func WithArchiver(a Archiver) Option { return func(s *Service) { s.archiver = a } }

// archive archives the delivery d of piece p as the file at path to
// recipient; false if it could not: d then waits for the archive (the
// spool's retry delay), its state pending with the reason noted in the
// journal, its attempts unchanged (it is not sent unarchived).
func (s *Service) archive(ctx context.Context, jn *journal, p mailpiece.Piece, d *spool.Delivery, recipient, path string) bool {
	if s.archiver == nil {
		return true
	}
	err := s.archiver.ArchiveDelivery(ctx, jn.job, p, d.Channel, recipient, path)
	if err == nil {
		return true
	}
	s.log.Error().Err(err).Int64("job", jn.job.ID).Int("piece", p.Seq).Str("channel", d.Channel).
		Msg("archiving a piece before it is delivered; the delivery waits for the archive")
	d.State, d.NextTry = spool.DeliveryPending, time.Now().Add(max(s.cfg.Spool.RetryDelay.Std(), time.Millisecond))
	d.Error = "archiving the piece before it is delivered: " + err.Error() + "; it is delivered once the archive store takes it"
	jn.note(*d, "", "")
	return false
}
