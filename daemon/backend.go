package daemon

import (
	"context"
	"io"
	"os"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/version"
)

// backend serves the local API from the services' read and act methods;
// the web console will use the same methods. It reaches into no store.
type backend struct{ d *Daemon }

func (b backend) Status(ctx context.Context) (api.Status, error) {
	d := b.d
	counts, err := d.jobs.Counts(ctx)
	if err != nil {
		return api.Status{}, err
	}
	st := api.Status{Version: version.String(), PID: os.Getpid(), Started: d.started, StateDir: d.cfg.StateDir, Jobs: counts}
	for _, p := range d.cfg.Printers {
		st.Printers = append(st.Printers, p.Name)
	}
	for _, w := range d.cfg.Workflows {
		st.Workflows = append(st.Workflows, w.Name)
	}
	for _, h := range d.cfg.HotFolders {
		st.HotFolders = append(st.HotFolders, api.HotFolder{Dir: d.cfg.Path(h.Dir), Workflow: h.Workflow})
	}
	st.Intake = d.intakeStatus()
	st.Listeners = []api.Listener{}
	for _, g := range d.listeners {
		st.Listeners = append(st.Listeners, g.Status())
	}
	st.LastReload = d.lastReload.get()
	return st, nil
}

// Reads of jobs.

func (b backend) Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error) {
	return b.d.jobs.Jobs(ctx, q)
}

func (b backend) Job(ctx context.Context, id int64) (api.JobDetail, error) {
	return b.d.jobs.Job(ctx, id)
}

func (b backend) Subscribe(ctx context.Context) (<-chan api.Event, func()) {
	return b.d.pub.Subscribe(ctx)
}

// Intake.

func (b backend) Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error) {
	return b.d.intake.Submit(ctx, opt, body)
}

// Analysis.

// Plan is the run's plan from analysis, with the postage of its reprints
// from the loop.
func (b backend) Plan(ctx context.Context, id int64) (api.Plan, error) {
	p, err := b.d.analysis.Plan(ctx, id)
	if err != nil {
		return p, err
	}
	p.Reprints, err = b.d.loop.ReprintPostage(id)
	return p, err
}

func (b backend) Preview(ctx context.Context, id int64, seq int, withImage bool) (api.Preview, error) {
	return b.d.analysis.Preview(ctx, id, seq, withImage)
}

// Queues.

func (b backend) Hold(ctx context.Context, id int64) (api.Job, error) {
	return b.d.queues.Hold(ctx, id)
}

// Release releases a job; one sent back to analysis wakes it.
func (b backend) Release(ctx context.Context, id int64) (api.Job, error) {
	j, err := b.d.queues.Release(ctx, id)
	if err == nil {
		b.d.received.Wake()
	}
	return j, err
}

func (b backend) Cancel(ctx context.Context, id int64) (api.Job, error) {
	return b.d.queues.Cancel(ctx, id)
}

func (b backend) Move(ctx context.Context, id int64, m api.JobMove) (api.Job, error) {
	return b.d.queues.Move(ctx, id, m)
}

func (b backend) Priority(ctx context.Context, id int64, p api.JobPriority) (api.Job, error) {
	return b.d.queues.Priority(ctx, id, p)
}

func (b backend) Restart(ctx context.Context, id int64, r api.JobRestart) (api.RestartResult, error) {
	res, err := b.d.queues.Restart(ctx, id, r)
	if err == nil {
		b.d.received.Wake() // a job never analysed is analysed again
	}
	return res, err
}

func (b backend) Printers(ctx context.Context) ([]api.Printer, error) {
	return b.d.queues.Printers(ctx)
}

func (b backend) PrinterAction(ctx context.Context, name, action string) (api.Printer, error) {
	return b.d.queues.PrinterAction(ctx, name, action)
}

// The closed loop.

func (b backend) Report(ctx context.Context, id int64) (api.JobReport, error) {
	return b.d.loop.Report(ctx, id)
}

func (b backend) Track(ctx context.Context, id int64, seq int) (api.Track, error) {
	return b.d.loop.Track(ctx, id, seq)
}

func (b backend) Reprint(ctx context.Context, id int64, r api.ReprintRequest) (api.ReprintResult, error) {
	return b.d.loop.Reprint(ctx, id, r)
}

func (b backend) Ack(ctx context.Context, id int64, a api.AlarmAck) (api.Job, error) {
	return b.d.loop.Ack(ctx, id, a)
}
