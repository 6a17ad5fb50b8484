package daemon

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/archive"
	"github.com/omsd/omsd/archive/index"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/localapi"
)

// The archive's side of the local API (localapi.ArchiveBackend).

// errNoArchive answers archive requests when none is configured.
var errNoArchive = fmt.Errorf("%w: no archive is configured; add an archive: section to the configuration and restart omsd", api.ErrUnavailable)

// archiveOf returns the archive, or errNoArchive.
func (b backend) archiveOf() (*archive.Service, error) {
	if b.d.archive == nil {
		return nil, errNoArchive
	}
	return b.d.archive, nil
}

// apiErr maps the archive's errors to the API's.
func apiErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, archive.ErrNotFound):
		return fmt.Errorf("%w: %w", api.ErrNotFound, err)
	case errors.Is(err, archive.ErrHold), errors.Is(err, errQuery):
		return fmt.Errorf("%w: %w", api.ErrBadRequest, err)
	case errors.Is(err, archive.ErrStore):
		return fmt.Errorf("%w: %w", api.ErrUnavailable, err)
	}
	return err
}

var errQuery = errors.New("archive query")

// archiveQuery parses the conditions of a search.
func archiveQuery(conds []string, from, to time.Time, limit int) (index.Query, error) {
	q := index.Query{From: from, To: to, Limit: limit}
	for _, c := range conds {
		cond, err := index.ParseCond(c)
		if err != nil {
			return q, fmt.Errorf("%w: %w", errQuery, err)
		}
		q.Conds = append(q.Conds, cond)
	}
	if len(q.Conds) == 0 && from.IsZero() && to.IsZero() {
		return q, fmt.Errorf("%w: give at least one condition (FIELD=VALUE) or --from/--to", errQuery)
	}
	return q, nil
}

// convert copies v into the API type of the same JSON shape.
func convert[T any](v any) T {
	var out T
	b, _ := json.Marshal(v)
	_ = json.NewDecoder(bytes.NewReader(b)).Decode(&out)
	return out
}

func (b backend) ArchiveSearch(ctx context.Context, conds []string, from, to time.Time, limit int) ([]api.ArchiveRecord, error) {
	a, err := b.archiveOf()
	if err != nil {
		return nil, err
	}
	q, err := archiveQuery(conds, from, to, limit)
	if err != nil {
		return nil, apiErr(err)
	}
	recs, err := a.Search(q, localapi.Caller(ctx))
	return convert[[]api.ArchiveRecord](recs), apiErr(err)
}

func (b backend) ArchiveRecord(ctx context.Context, id string) (api.ArchiveRecord, error) {
	a, err := b.archiveOf()
	if err != nil {
		return api.ArchiveRecord{}, err
	}
	r, err := a.Record(id)
	return convert[api.ArchiveRecord](r), apiErr(err)
}

func (b backend) ArchiveData(ctx context.Context, id string) ([]byte, api.ArchiveRecord, error) {
	a, err := b.archiveOf()
	if err != nil {
		return nil, api.ArchiveRecord{}, err
	}
	data, r, err := a.Get(ctx, id, localapi.Caller(ctx))
	return data, convert[api.ArchiveRecord](r), apiErr(err)
}

func (b backend) ArchiveHolds(ctx context.Context) ([]api.ArchiveHold, error) {
	a, err := b.archiveOf()
	if err != nil {
		return nil, err
	}
	return convert[[]api.ArchiveHold](a.Holds()), nil
}

func (b backend) ArchiveHold(ctx context.Context, r api.ArchiveHoldRequest) (api.ArchiveHold, error) {
	a, err := b.archiveOf()
	if err != nil {
		return api.ArchiveHold{}, err
	}
	var q *index.Query
	if len(r.Query) > 0 || !r.From.IsZero() || !r.To.IsZero() {
		qq, err := archiveQuery(r.Query, r.From, r.To, 0)
		if err != nil {
			return api.ArchiveHold{}, apiErr(err)
		}
		q = &qq
	}
	h, err := a.PlaceHold(r.Name, r.Reason, localapi.Caller(ctx), q, r.Pieces)
	return convert[api.ArchiveHold](h), apiErr(err)
}

func (b backend) ArchiveRelease(ctx context.Context, name string) (api.ArchiveHold, error) {
	a, err := b.archiveOf()
	if err != nil {
		return api.ArchiveHold{}, err
	}
	h, err := a.ReleaseHold(name, localapi.Caller(ctx))
	return convert[api.ArchiveHold](h), apiErr(err)
}

func (b backend) ArchiveVerify(ctx context.Context) (api.ArchiveVerify, error) {
	a, err := b.archiveOf()
	if err != nil {
		return api.ArchiveVerify{}, err
	}
	v, err := a.Verify(ctx)
	return convert[api.ArchiveVerify](v), apiErr(err)
}

func (b backend) ArchiveReindex(ctx context.Context) (api.ArchiveReindex, error) {
	a, err := b.archiveOf()
	if err != nil {
		return api.ArchiveReindex{}, err
	}
	r, err := a.Reindex(ctx)
	return convert[api.ArchiveReindex](r), apiErr(err)
}

func (b backend) ArchiveExpire(ctx context.Context) (api.ArchiveExpire, error) {
	a, err := b.archiveOf()
	if err != nil {
		return api.ArchiveExpire{}, err
	}
	r, err := a.Expire(ctx, time.Now())
	return convert[api.ArchiveExpire](r), apiErr(err)
}

// ArchiveReprint submits each piece's archived bytes as a new job.
func (b backend) ArchiveReprint(ctx context.Context, r api.ArchiveReprintRequest) (api.ArchiveReprintResult, error) {
	a, err := b.archiveOf()
	if err != nil {
		return api.ArchiveReprintResult{}, err
	}
	if len(r.Pieces) == 0 {
		return api.ArchiveReprintResult{}, fmt.Errorf("%w: name the pieces to reprint", api.ErrBadRequest)
	}
	var res api.ArchiveReprintResult
	for _, id := range r.Pieces {
		data, rec, err := a.Get(ctx, id, localapi.Caller(ctx))
		if err != nil {
			return res, apiErr(err)
		}
		j, err := b.reprintPiece(ctx, rec, data, r)
		if err != nil {
			return res, fmt.Errorf("reprinting %s: %w", id, err)
		}
		res.Jobs = append(res.Jobs, j)
	}
	return res, nil
}

// reprintPiece submits one archived piece as a job printed as sent
// (jobs.AsSent): in the workflow named, else the piece's own, with its
// marks as archived and none drawn again. With r.To it is submitted held,
// moved to that printer and released.
func (b backend) reprintPiece(ctx context.Context, rec archive.Record, data []byte, r api.ArchiveReprintRequest) (api.Job, error) {
	wfName := cmp.Or(r.Workflow, rec.Workflow)
	wf, ok := b.d.cfg.Workflow(wfName)
	if !ok {
		return api.Job{}, fmt.Errorf("%w: workflow %q is not configured; name one with --workflow", api.ErrBadRequest, wfName)
	}
	if format := cmp.Or(wf.Format, "pdf"); format != rec.Format {
		return api.Job{}, fmt.Errorf("%w: piece %s is %s, workflow %q takes %s: name a %s workflow with --workflow", api.ErrBadRequest, rec.ID, rec.Format, wfName, format, rec.Format)
	}
	opt := api.SubmitOptions{
		Name: fmt.Sprintf("archive-%s.%s", rec.ID, rec.Format), Workflow: wfName, Hold: r.To != "",
		Source: jobs.SourceArchive, User: localapi.Caller(ctx), Origin: "archive reprint of piece " + rec.ID,
		Copies: archivedCopies(ctx, rec, b.Job),
	}
	j, err := b.d.intake.Submit(ctx, opt, bytes.NewReader(data))
	if err != nil || r.To == "" {
		return j, err
	}
	if _, err := b.Move(ctx, j.ID, api.JobMove{Target: r.To}); err != nil {
		return j, fmt.Errorf("job %d is held: moving it to %s: %w", j.ID, r.To, err)
	}
	return b.Release(ctx, j.ID)
}

// archivedCopies is how many copies the job that printed rec made (job
// reads it): the piece is reprinted as it was printed, copies included.
// A job no longer in the spool (past its retention) and a digital
// delivery are one copy.
func archivedCopies(ctx context.Context, rec archive.Record, job func(context.Context, int64) (api.JobDetail, error)) int {
	if rec.Channel != "print" {
		return 0
	}
	j, err := job(ctx, rec.Job)
	if err != nil {
		return 0
	}
	return j.Copies
}

func (b backend) ArchiveExport(ctx context.Context, r api.ArchiveExportRequest) (api.ArchiveExportResult, error) {
	a, err := b.archiveOf()
	if err != nil {
		return api.ArchiveExportResult{}, err
	}
	if r.Format != "cmod-generic" {
		return api.ArchiveExportResult{}, fmt.Errorf("%w: export format %q: the format is cmod-generic", api.ErrBadRequest, r.Format)
	}
	if r.Dir == "" {
		return api.ArchiveExportResult{}, fmt.Errorf("%w: name the directory to export into", api.ErrBadRequest)
	}
	q, err := archiveQuery(r.Query, r.From, r.To, 1<<30)
	if err != nil {
		return api.ArchiveExportResult{}, apiErr(err)
	}
	res, err := a.ExportCMOD(ctx, q, r.Dir, localapi.Caller(ctx))
	return convert[api.ArchiveExportResult](res), apiErr(err)
}

var _ localapi.ArchiveBackend = backend{}
