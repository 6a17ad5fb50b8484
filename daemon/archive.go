package daemon

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/archive"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/queues"
	"github.com/omsd/omsd/spool"
)

// segmentBytes is about how many bytes of pieces go into one segment: an
// output larger than that is archived in several.
const segmentBytes = 32 << 20

// openArchive opens the archive and the audit trail when cfg has an
// archive. They stay open across reloads; a reload that changes the
// archive section is refused (restartOnly).
func (d *Daemon) openArchive(ctx context.Context, cfg *config.Config) error {
	if cfg.Archive == nil {
		return nil
	}
	backend, err := archiveBackend(ctx, cfg)
	if err != nil {
		return err
	}
	if d.audit, err = audit.Open(cfg.AuditPath()); err != nil {
		return err
	}
	d.archive, err = archive.Open(ctx, archive.Options{
		Dir: cfg.Path(cfg.Archive.Dir), Backend: backend, Audit: auditor{d.audit}, Log: d.log.With().Str("service", "archive").Logger(),
	})
	if err != nil {
		d.audit.Close()
		d.audit = nil
		return fmt.Errorf("opening the archive: %w", err)
	}
	return nil
}

// archiveSetting is the archive section as a string, to tell a change;
// the archive stays open across reloads.
func archiveSetting(c *config.Config) string {
	if c.Archive == nil {
		return "off"
	}
	a, s3 := *c.Archive, ""
	if a.S3 != nil {
		s3 = fmt.Sprintf("%+v", *a.S3)
	}
	a.S3 = nil
	return fmt.Sprintf("%+v %s", a, s3)
}

// archiving is the queues' option that archives every output before it
// is sent, on cfg's workflows; none without an archive.
func (d *Daemon) archiving(cfg *config.Config) []queues.Option {
	if d.archive == nil {
		return nil
	}
	return []queues.Option{queues.WithArchiver(archiver{cfg: cfg, store: d.store, svc: d.archive})}
}

// archiveBackend is the configured segment store; nil for the default
// directory.
func archiveBackend(ctx context.Context, cfg *config.Config) (archive.Backend, error) {
	if cfg.Archive.Backend != "s3" {
		return nil, nil
	}
	return archive.NewS3(ctx, *cfg.Archive.S3)
}

// expireEvery is how often the archive deletes what is past retention.
const expireEvery = 24 * time.Hour

// archiveLoops are the archive's backlog, stored as the store takes it,
// and its daily expiry; none without an archive.
func (d *Daemon) archiveLoops() []func(context.Context) error {
	if d.archive == nil {
		return nil
	}
	retry := max(d.cfg.Spool.RetryDelay.Std(), time.Second)
	drain := func(ctx context.Context) error { return d.archive.Drain(ctx, retry) }
	return []func(context.Context) error{drain, func(ctx context.Context) error {
		t := time.NewTicker(expireEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
			}
			res, err := d.archive.Expire(ctx, time.Now())
			if err != nil {
				d.log.Error().Err(err).Msg("archive expiry; it is tried again tomorrow, or run omsctl archive expire")
				continue
			}
			d.log.Info().Int("deleted", len(res.Deleted)).Int("kept_for_holds", len(res.Kept)).Msg("archive expiry")
		}
	}}
}

// closeArchive closes the archive, if open.
func (d *Daemon) closeArchive() {
	if d.archive != nil {
		d.archive.Close()
	}
	if d.audit != nil {
		d.audit.Close()
	}
}

// archiver archives the pieces of an output, cut out of the composed file
// about to be sent.
type archiver struct {
	cfg   *config.Config
	store *spool.Store
	svc   *archive.Service
}

// ArchiveOutput implements queues.Archiver.
func (x archiver) ArchiveOutput(ctx context.Context, j spool.Job, out int, printer, path string, seqs []int) error {
	wf, ok := x.cfg.Workflow(j.Workflow)
	if !ok {
		return fmt.Errorf("workflow %q is no longer configured", j.Workflow)
	}
	ids := make([]string, len(seqs))
	for i, s := range seqs {
		ids[i] = archive.ID(j.ID, s, generation(j, out, s))
	}
	b := batch{svc: x.svc, hint: fmt.Sprintf("j%d-%s", j.ID, j.Outputs[out].Name)}
	var missing []string
	var err error
	if wf.Archive != nil && wf.Archive.Backlog > 0 {
		b.behind = wf.Archive.Backlog
		missing, err = x.svc.NotQueued(ids)
	} else {
		missing, err = x.svc.Missing(ctx, ids)
	}
	if err != nil || len(missing) == 0 {
		return err
	}
	bySeq, err := jobs.PiecesBySeq(x.store, j.ID)
	if err != nil {
		return err
	}
	pieces := make([]mailpiece.Piece, len(seqs))
	for i, s := range seqs {
		if pieces[i], ok = bySeq[s]; !ok {
			return fmt.Errorf("job %d has no piece %d", j.ID, s)
		}
	}
	sent := time.Now().UTC()
	err = pipeline.SplitOutput(wf, path, pieces, func(i int, pf pipeline.PieceFile) error {
		if !slices.Contains(missing, ids[i]) {
			return nil
		}
		r, err := x.record(wf, j, out, printer, pieces[i], pf, sent)
		if err != nil {
			return err
		}
		r.ID = ids[i]
		return b.add(ctx, archive.Piece{Record: r, Data: pf.Data})
	})
	if err != nil {
		return err
	}
	return b.flush(ctx)
}

// record is the archive record of piece p of output out of job j.
func (x archiver) record(wf config.Workflow, j spool.Job, out int, printer string, p mailpiece.Piece, pf pipeline.PieceFile, sent time.Time) (archive.Record, error) {
	r, err := x.pieceRecord(wf, j, p, sent)
	if err != nil {
		return r, err
	}
	r.Generation, r.Channel, r.Printer, r.Output, r.Format, r.Pages = generation(j, out, p.Seq), "print", printer, j.Outputs[out].Name, wf.Format, pf.Pages
	return r, nil
}

// pieceRecord is what the archive records of piece p of job j, on any
// channel: ids, workflow, time, retention, index fields and text.
func (x archiver) pieceRecord(wf config.Workflow, j spool.Job, p mailpiece.Piece, sent time.Time) (archive.Record, error) {
	wa := wf.Archive
	if wa == nil {
		wa = &config.WorkflowArchive{}
	}
	retention := wa.Retention
	if retention == "" {
		retention = x.cfg.Archive.Retention
	}
	until, err := retention.Until(sent)
	if err != nil {
		return archive.Record{}, err
	}
	r := archive.Record{
		Job: j.ID, Seq: p.Seq, Name: p.Name, Workflow: j.Workflow,
		Sent: sent, RetainUntil: until, Fields: map[string]string{"run": strconv.FormatInt(jobs.Root(j), 10)},
	}
	if p.Placement != nil {
		r.Envelope = p.Placement.Envelope
	}
	for k, v := range p.Meta.All() {
		if len(wa.Fields) == 0 || slices.Contains(wa.Fields, k) {
			r.Fields[k] = v
		}
		if slices.Contains(wa.Text, k) || len(wa.Text) == 0 && addressField(k) {
			r.Text = append(r.Text, v)
		}
	}
	return r, nil
}

// addressField reports whether a metadata field is, by its name, part of
// the name and address searched as text when the workflow names none.
func addressField(k string) bool {
	k = strings.ToLower(k)
	for _, p := range []string{"name", "address", "street", "city", "town"} {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// generation is how many times piece seq was printed before by its run:
// the job's reprint generation plus the outputs of the job before out
// that hold it (an operator's restart adds such outputs).
func generation(j spool.Job, out, seq int) int {
	g := j.Generation
	for _, o := range j.Outputs[:min(out, len(j.Outputs))] {
		if slices.Contains(o.Seqs, seq) {
			g++
		}
	}
	return g
}

// batch gathers pieces into segments of about segmentBytes, stored
// before the output is sent, or with behind set queued in the archive's
// backlog of at most behind pieces.
type batch struct {
	svc    *archive.Service
	hint   string
	behind int
	pieces []archive.Piece
	size   int
}

func (b *batch) add(ctx context.Context, p archive.Piece) error {
	b.pieces = append(b.pieces, p)
	if b.size += len(p.Data); b.size >= segmentBytes {
		return b.flush(ctx)
	}
	return nil
}

func (b *batch) flush(ctx context.Context) error {
	if len(b.pieces) == 0 {
		return nil
	}
	var err error
	if b.behind > 0 {
		err = b.svc.Queue(ctx, b.hint, b.pieces, b.behind)
	} else {
		err = b.svc.Archive(ctx, b.hint, b.pieces)
	}
	b.pieces, b.size = nil, 0
	return err
}

// auditor records archive retrievals in the audit trail.
type auditor struct{ log *audit.Log }

func (a auditor) Audit(user, action, target, result string) error {
	return a.log.Record(audit.Entry{User: user, Action: action, Target: target, Result: result})
}
