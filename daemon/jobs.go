package daemon

import (
	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// update changes a job in the spool and publishes the events it caused.
func (d *Daemon) update(id int64, fn func(*spool.Job) error) (spool.Job, error) {
	j, err := d.store.UpdateJob(id, fn)
	d.publishStored()
	return j, err
}

// setState moves a job to state with reasons and a message for people.
func (d *Daemon) setState(id int64, state spool.State, msg string, reasons ...string) (spool.Job, error) {
	return d.update(id, func(j *spool.Job) error {
		j.State, j.StateReasons, j.Message = state, reasons, msg
		return nil
	})
}

// publishStored sends the spool's events that subscribers have not seen.
func (d *Daemon) publishStored() {
	d.mu.Lock()
	defer d.mu.Unlock()
	evs, err := d.store.Events(d.lastSeq, 0)
	if err != nil {
		d.log.Error().Err(err).Msg("reading the event log")
		return
	}
	for _, e := range evs {
		d.events.publish(apiEvent(e))
		d.lastSeq = e.Seq
	}
}

func (d *Daemon) createJob(j spool.Job) (spool.Job, error) {
	j, err := d.store.CreateJob(j)
	d.publishStored()
	return j, err
}

func apiEvent(e spool.Event) api.Event {
	return api.Event{Seq: e.Seq, Time: e.Time, Job: e.Job, Type: e.Type, State: string(e.State), Reasons: e.Reasons, Message: e.Message}
}

func apiJob(j spool.Job) api.Job {
	return api.Job{
		ID: j.ID, Name: j.Name, Workflow: j.Workflow, Printer: j.Printer,
		State: string(j.State), StateReasons: j.StateReasons, Message: j.Message, Source: j.Source,
		Pieces: j.Pieces, Pages: j.Pages, Sheets: j.Sheets, SheetsSent: j.SheetsSent, Attempts: j.Attempts, Priority: j.Priority,
		Warnings: j.Warnings, Created: j.Created, Updated: j.Updated, Compacted: j.Compacted,
	}
}

func apiPiece(p spool.Piece) api.Piece {
	return api.Piece{Seq: p.Seq, Name: p.Name, FirstPage: p.FirstPage, Pages: p.Pages, Sheets: p.Sheets, Meta: p.Meta, Plan: p.Placement}
}

// analyzed reports whether the job's pieces and output are ready.
func analyzed(j spool.Job) bool { return j.Pieces > 0 }

// incoming reports whether the job's files are still being taken in.
func incoming(j spool.Job) bool {
	for _, r := range j.StateReasons {
		if r == reasonIncoming {
			return true
		}
	}
	return false
}

// reasonIncoming marks a job whose print file is not yet in the spool.
const reasonIncoming = "job-incoming"
