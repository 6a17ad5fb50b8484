package daemon

import (
	"context"
	"strconv"
	"time"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// trackReceived starts the histories of a job's pieces: received, and
// planned (envelope, product) when the run was planned.
func (d *Daemon) trackReceived(j spool.Job, pieces []mailpiece.Piece) {
	now := time.Now().UTC()
	entries := make([]spool.TrackEntry, 0, 2*len(pieces))
	for _, p := range pieces {
		entries = append(entries, spool.TrackEntry{Root: j.ID, Seq: p.Seq, Event: spool.PieceEvent{Time: j.Created, Kind: spool.TrackReceived, Job: j.ID, Detail: j.Name}})
		if pl := p.Placement; pl != nil {
			detail := "envelope " + strconv.Itoa(pl.Envelope) + " " + pl.EnvelopeType + ", " + pl.Product + " " + pl.Level + ", output " + pl.Output
			if pl.Held {
				detail = "held for an operator"
			}
			entries = append(entries, spool.TrackEntry{Root: j.ID, Seq: p.Seq, Event: spool.PieceEvent{Time: now, Kind: spool.TrackPlanned, Job: j.ID, Detail: detail}})
		}
	}
	if err := d.store.AddTrackEvents(entries); err != nil {
		d.log.Error().Err(err).Int64("job", j.ID).Msg("recording piece histories")
	}
}

// printedEntries are the history entries of the pieces the printer
// printed in an attempt.
func printedEntries(a attempt) []spool.TrackEntry {
	now := time.Now().UTC()
	entries := make([]spool.TrackEntry, len(a.seqs))
	for i, s := range a.seqs {
		entries[i] = spool.TrackEntry{Root: rootOf(a.job), Seq: s, Event: spool.PieceEvent{
			Time: now, Kind: spool.TrackPrinted, Job: a.job.ID, Generation: a.job.Generation, Device: a.q.Name, Detail: "output " + a.out.Name}}
	}
	return entries
}

// liveTracks are the run's piece histories without void reprints.
func (d *Daemon) liveTracks(root int64) map[int][]spool.PieceEvent {
	tracks, err := d.store.Tracks(root)
	if err != nil {
		d.log.Error().Err(err).Int64("job", root).Msg("reading piece histories")
		return nil
	}
	d.dropVoidReprints(tracks)
	return tracks
}

// dropVoidReprints removes "reprinted" steps of reprint jobs that were
// aborted or canceled: those pieces need a reprint again.
func (d *Daemon) dropVoidReprints(tracks map[int][]spool.PieceEvent) {
	void := map[int64]bool{}
	for seq, evs := range tracks {
		kept := evs[:0:0]
		for _, e := range evs {
			if e.Kind == spool.TrackReprinted {
				if _, ok := void[e.Job]; !ok {
					j, err := d.store.Job(e.Job)
					void[e.Job] = err != nil || j.State == spool.Aborted || j.State == spool.Canceled
				}
				if void[e.Job] {
					continue
				}
			}
			kept = append(kept, e)
		}
		tracks[seq] = kept
	}
}

// loopHousekeeping reconciles the open runs once omsd has started (a
// reprint cut off by a crash is made again) and then, every hour, removes
// the piece histories older than the retention.
func (d *Daemon) loopHousekeeping(ctx context.Context) error {
	d.reconcileOpen()
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		d.expireTracks(time.Now().Add(-d.cfg.Tracking.Retention.Std()))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (d *Daemon) reconcileOpen() {
	jobs, err := d.store.OpenLoops()
	if err != nil {
		d.log.Error().Err(err).Msg("listing open runs")
		return
	}
	for _, j := range jobs {
		if j.Loop != nil && j.Loop.State != spool.LoopClosed {
			d.reconcile(j.ID)
		}
	}
}

// expireTracks removes the histories of closed runs closed before cutoff,
// and of finished jobs without a loop last changed before it. It reads no
// job: the spool lists the runs due.
func (d *Daemon) expireTracks(cutoff time.Time) {
	roots, err := d.store.TracksDue(cutoff)
	if err != nil {
		d.log.Error().Err(err).Msg("listing expired piece histories")
		return
	}
	for _, id := range roots {
		if err := d.store.DeleteTracks(id); err != nil {
			d.log.Error().Err(err).Int64("job", id).Msg("removing expired piece histories")
		}
	}
}
