package daemon

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// pieceSheets returns the sheets of the pieces seqs of job id.
func (d *Daemon) pieceSheets(id int64, seqs []int) ([]int, error) {
	if len(seqs) == 0 {
		return nil, nil
	}
	bySeq, err := d.piecesBySeq(id)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(seqs))
	for i, s := range seqs {
		p, ok := bySeq[s]
		if !ok {
			return nil, fmt.Errorf("job %d has no piece %d", id, s)
		}
		out[i] = p.Sheets
	}
	return out, nil
}

func (d *Daemon) piecesBySeq(id int64) (map[int]mailpiece.Piece, error) {
	pieces, err := d.store.Pieces(id)
	if err != nil {
		return nil, err
	}
	bySeq := make(map[int]mailpiece.Piece, len(pieces))
	for _, p := range pieces {
		bySeq[p.Seq] = p
	}
	return bySeq, nil
}

// composeFile writes the pieces seqs of job j, in that order, from the
// job's input into the file name in its directory, and returns its path.
func (d *Daemon) composeFile(j spool.Job, seqs []int, name string) (string, error) {
	c, err := d.newComposer(j)
	if err != nil {
		return "", err
	}
	return c.compose(seqs, name)
}

// composer writes subsets of a job's pieces from its opened input.
type composer struct {
	dir   string
	id    int64
	file  *pipeline.File
	bySeq map[int]mailpiece.Piece
}

func (d *Daemon) newComposer(j spool.Job) (*composer, error) {
	wf, ok := d.cfg.Workflow(j.Workflow)
	if !ok {
		return nil, fmt.Errorf("workflow %q is no longer configured", j.Workflow)
	}
	bySeq, err := d.piecesBySeq(j.ID)
	if err != nil {
		return nil, err
	}
	dir := d.store.JobDir(j.ID)
	f, err := pipeline.Open(filepath.Join(dir, j.Input), wf)
	if err != nil {
		return nil, err
	}
	f.Job = strconv.FormatInt(j.ID, 10)
	return &composer{dir: dir, id: j.ID, file: f, bySeq: bySeq}, nil
}

// compose writes the pieces seqs into the file name of the job directory.
func (c *composer) compose(seqs []int, name string) (string, error) {
	pieces := make([]mailpiece.Piece, 0, len(seqs))
	for _, s := range seqs {
		p, ok := c.bySeq[s]
		if !ok {
			return "", fmt.Errorf("job %d has no piece %d", c.id, s)
		}
		pieces = append(pieces, p)
	}
	path := filepath.Join(c.dir, name)
	if _, err := c.file.Compose(path, pieces); err != nil {
		return "", err
	}
	return path, nil
}

// confirmedPieces counts the leading pieces whose sheets all lie within
// the first done sheets.
func confirmedPieces(sheets []int, done int) int {
	n, total := 0, 0
	for _, s := range sheets {
		if total+s > done {
			break
		}
		total += s
		n++
	}
	return n
}

// progress returns the callback that publishes an attempt's progress and
// records, as soon as the device confirms them, the pieces it printed:
// after a fault the output is resent from the first unconfirmed piece.
func (d *Daemon) progress(a attempt) func(drivers.Progress) {
	confirmed := 0 // pieces of this attempt confirmed so far
	return func(p drivers.Progress) {
		if p.Confirmed {
			if n := confirmedPieces(a.sheets, p.SheetsDone); n > confirmed {
				d.confirm(a, confirmed, n)
				confirmed = n
			}
		}
		a.q.mu.Lock()
		a.q.sendingDone = p.SheetsDone
		a.q.mu.Unlock()
		msg := p.Message
		if p.PrinterState == "stopped" || (p.PrinterReasons != "" && p.PrinterReasons != "none") {
			msg = fmt.Sprintf("printer %s %s (%s) %s", a.q.Name, p.PrinterState, p.PrinterReasons, msg)
		}
		d.events.publish(api.Event{
			Time: time.Now().UTC(), Job: a.job.ID, Type: api.EventProgress, State: string(spool.Processing),
			Printer: a.q.Name, Output: a.out.Name, SheetsDone: p.SheetsDone, Sheets: a.doc.Sheets, Message: msg,
		})
	}
}

// confirm records pieces [from, to) of an attempt as printed.
func (d *Daemon) confirm(a attempt, from, to int) {
	base := a.out.Confirmed
	sheets := sum(a.sheets[from:to])
	_, err := d.store.UpdateJob(a.job.ID, func(j *spool.Job) error {
		if a.k.out < len(j.Outputs) {
			j.Outputs[a.k.out].Confirmed = base + to
		}
		j.SheetsSent += sheets
		return nil
	})
	if err == nil {
		err = d.store.ConfirmPieces(a.job.ID, a.seqs[from:to], a.q.Name)
	}
	if err != nil {
		d.log.Error().Err(err).Int64("job", a.job.ID).Msg("recording confirmed pieces")
	}
}
