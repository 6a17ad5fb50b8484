package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// backend serves the local API from the daemon.
type backend struct{ d *Daemon }

func (b backend) Status(ctx context.Context) (api.Status, error) {
	d := b.d
	counts, err := d.store.CountJobs()
	if err != nil {
		return api.Status{}, err
	}
	st := api.Status{
		Version: Version, PID: os.Getpid(), Started: d.started, StateDir: d.cfg.StateDir,
		Jobs: map[string]int{},
	}
	for s, n := range counts {
		st.Jobs[string(s)] = n
	}
	for _, p := range d.cfg.Printers {
		st.Printers = append(st.Printers, p.Name)
	}
	for _, w := range d.cfg.Workflows {
		st.Workflows = append(st.Workflows, w.Name)
	}
	for _, h := range d.cfg.HotFolders {
		st.HotFolders = append(st.HotFolders, api.HotFolder{Dir: d.cfg.Path(h.Dir), Workflow: h.Workflow})
	}
	return st, nil
}

func (b backend) Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error) {
	var ss []spool.State
	for _, s := range q.States {
		st := spool.State(s)
		if !st.Valid() {
			return nil, fmt.Errorf("%w: unknown state %q; use one of %v", api.ErrBadRequest, s, spool.States)
		}
		ss = append(ss, st)
	}
	jobs, err := b.d.listJobs(ss, q)
	if err != nil {
		return nil, err
	}
	out := make([]api.Job, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, apiJob(j))
	}
	return out, nil
}

func (b backend) Job(ctx context.Context, id int64) (api.JobDetail, error) {
	j, err := b.job(id)
	if err != nil {
		return api.JobDetail{}, err
	}
	pieces, err := b.d.store.Pieces(id)
	if err != nil {
		return api.JobDetail{}, err
	}
	evs, err := b.d.store.JobEvents(id)
	if err != nil {
		return api.JobDetail{}, err
	}
	det := api.JobDetail{Job: apiJob(j), PiecesDetail: make([]api.Piece, 0, len(pieces)), Events: make([]api.Event, 0, len(evs))}
	for _, p := range pieces {
		det.PiecesDetail = append(det.PiecesDetail, apiPiece(p))
	}
	for _, e := range evs {
		det.Events = append(det.Events, apiEvent(e))
	}
	sends, err := b.d.store.Sends(id)
	if err != nil {
		return api.JobDetail{}, err
	}
	for i := range det.PiecesDetail {
		if s, ok := sends[det.PiecesDetail[i].Seq]; ok {
			det.PiecesDetail[i].Delivery = &api.PieceSends{Sends: s.Sends, Printers: s.Printers, Confirmed: s.Confirmed}
		}
	}
	det.Outputs = apiOutputs(j)
	det.ReprintOf, det.Generation, det.Loop = j.ReprintOf, j.Generation, apiLoop(j.Loop)
	return det, nil
}

func (b backend) job(id int64) (spool.Job, error) {
	j, err := b.d.store.Job(id)
	if errors.Is(err, spool.ErrNotFound) {
		return j, fmt.Errorf("%w: job %d does not exist", api.ErrNotFound, id)
	}
	return j, err
}

func (b backend) Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error) {
	j, err := b.d.submit(ctx, opt, body)
	return apiJob(j), err
}

func (b backend) Hold(ctx context.Context, id int64) (api.Job, error) {
	return b.change(id, func(j *spool.Job) error {
		if j.State != spool.Pending {
			return fmt.Errorf("%w: job %d is %s; only a pending job can be held", api.ErrConflict, id, j.State)
		}
		j.State, j.StateReasons, j.Message = spool.Held, []string{"job-hold-until-specified"}, "held by the operator"
		return nil
	})
}

func (b backend) Release(ctx context.Context, id int64) (api.Job, error) {
	j, err := b.change(id, func(j *spool.Job) error {
		if j.State != spool.Held && j.State != spool.Stopped {
			return fmt.Errorf("%w: job %d is %s; only a held or stopped job can be released", api.ErrConflict, id, j.State)
		}
		for i := range j.Outputs {
			j.Outputs[i].Failures = 0
		}
		j.State, j.StateReasons = releasedState(*j)
		j.Message = "released by the operator"
		return nil
	})
	if err == nil {
		b.d.wakeRouter()
	}
	return j, err
}

// Cancel cancels a waiting job at once; a job being sent is stopped (the
// IPP driver cancels the printer's job), and the dispatcher records it as
// canceled when the device has let go of it.
func (b backend) Cancel(ctx context.Context, id int64) (api.Job, error) {
	d := b.d
	d.mu.Lock()
	sending := false
	for k, stop := range d.running {
		if k.job == id {
			d.canceled[id] = true
			stop()
			sending = true
		}
	}
	d.mu.Unlock()
	if sending {
		j, err := b.job(id)
		return apiJob(j), err
	}
	return b.change(id, func(j *spool.Job) error {
		if j.State.Terminal() {
			return fmt.Errorf("%w: job %d is already %s", api.ErrConflict, id, j.State)
		}
		j.State, j.StateReasons, j.Message = spool.Canceled, []string{"job-canceled-by-user"}, "canceled by the operator"
		return nil
	})
}

func (b backend) change(id int64, fn func(*spool.Job) error) (api.Job, error) {
	if _, err := b.job(id); err != nil {
		return api.Job{}, err
	}
	j, err := b.d.update(id, fn)
	return apiJob(j), err
}

func (b backend) Subscribe(ctx context.Context) (<-chan api.Event, func()) {
	return b.d.events.subscribe(ctx)
}

// Plan returns the postage report that analysis wrote for a planned job.
func (b backend) Plan(ctx context.Context, id int64) (api.Plan, error) {
	j, err := b.job(id)
	if err != nil {
		return api.Plan{}, err
	}
	data, err := os.ReadFile(filepath.Join(b.d.store.JobDir(id), planFile))
	if errors.Is(err, os.ErrNotExist) {
		if wf, ok := b.d.cfg.Workflow(j.Workflow); ok && wf.Postage == nil {
			return api.Plan{}, fmt.Errorf("%w: job %d: workflow %q does not plan mail runs (no postage section)", api.ErrNotFound, id, j.Workflow)
		}
		return api.Plan{}, fmt.Errorf("%w: job %d has no plan yet (state %s)", api.ErrNotFound, id, j.State)
	}
	if err != nil {
		return api.Plan{}, err
	}
	var p api.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return api.Plan{}, fmt.Errorf("job %d: reading its plan: %w", id, err)
	}
	return p, nil
}
