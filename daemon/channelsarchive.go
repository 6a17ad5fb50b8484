package daemon

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/omsd/omsd/archive"
	"github.com/omsd/omsd/channels"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// channelsArchiving is the channels' option that archives every digital
// delivery before it is made; none without an archive.
func (d *Daemon) channelsArchiving() []channels.Option {
	if d.archive == nil {
		return nil
	}
	return []channels.Option{channels.WithArchiver(archiver{cfg: d.cfg, store: d.store, svc: d.archive})}
}

// deliveryID is the archive id of piece seq of job j delivered on
// channel: the print id with the channel, so that a piece both printed
// and e-mailed is archived once on each.
func deliveryID(j spool.Job, seq int, channel string) string {
	return archive.ID(j.ID, seq, j.Generation) + "-" + channel
}

// ArchiveDelivery implements channels.Archiver: the piece's document as
// delivered (the file at path) on channel to recipient, once per
// delivery.
func (x archiver) ArchiveDelivery(ctx context.Context, j spool.Job, p mailpiece.Piece, channel, recipient, path string) error {
	wf, ok := x.cfg.Workflow(j.Workflow)
	if !ok {
		return fmt.Errorf("workflow %q is no longer configured", j.Workflow)
	}
	id := deliveryID(j, p.Seq, channel)
	missing, err := x.svc.Missing(ctx, []string{id})
	if err != nil || len(missing) == 0 {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	r, err := x.pieceRecord(wf, j, p, time.Now().UTC())
	if err != nil {
		return err
	}
	r.ID, r.Generation, r.Channel, r.Recipient, r.Format, r.Pages = id, j.Generation, channel, recipient, "pdf", p.Pages
	return x.svc.Archive(ctx, fmt.Sprintf("j%d-%s", j.ID, channel), []archive.Piece{{Record: r, Data: data}})
}
