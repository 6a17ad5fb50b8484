package queues

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// Printers lists the printers with the device's state, the operator's
// state, and the jobs and sheets queued on each.
func (s *Service) Printers(ctx context.Context) ([]api.Printer, error) {
	js, err := s.store.JobsInState(spool.Pending, spool.Processing)
	if err != nil {
		return nil, err
	}
	queued, sheets := map[string]int{}, map[string]int{}
	for _, j := range js {
		seen := map[string]bool{}
		for _, o := range j.Outputs {
			if o.Sent {
				continue
			}
			p := o.Printer
			if p == "" {
				p = j.Printer
			}
			sheets[p] += o.Sheets
			if !seen[p] {
				queued[p]++
				seen[p] = true
			}
		}
	}
	out := make([]api.Printer, len(s.cfg.Printers))
	var wg sync.WaitGroup
	for i, pc := range s.cfg.Printers {
		q := s.printers[pc.Name]
		out[i] = s.apiPrinter(q, queued[pc.Name], sheets[pc.Name])
		wg.Add(1)
		go func(p *api.Printer) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			st, err := q.Status(ctx)
			if err != nil {
				p.State, p.Error = "unknown", err.Error()
				return
			}
			p.State, p.Reasons, p.AcceptingJobs, p.Info, p.MakeModel = st.State, st.Reasons, st.AcceptingJobs, st.Info, st.MakeModel
		}(&out[i])
	}
	wg.Wait()
	return out, nil
}

// apiPrinter is the API document of a printer, without the device's state.
func (s *Service) apiPrinter(q *printerQueue, queued, sheets int) api.Printer {
	q.mu.Lock()
	defer q.mu.Unlock()
	p := api.Printer{
		Name: q.Name, Driver: q.Kind, URI: q.URI, Queued: queued, QueuedSheets: sheets,
		Pools: s.cfg.PoolsOf(q.Name), Paused: q.state.Paused, Disabled: q.state.Disabled,
		Draining: q.state.Draining, Stopped: q.state.Stopped, StopReason: q.state.Reason,
		Capabilities: apiCaps(q.cfg.Capabilities, q.caps), Counters: q.counters,
		ErrorPolicy: api.PrinterPolicy{Action: q.cfg.ErrorPolicy.Action, Interval: q.cfg.ErrorPolicy.Interval.Std(),
			Limit: q.cfg.ErrorPolicy.Limit, FailoverAfter: q.cfg.ErrorPolicy.FailoverAfter},
	}
	if q.sending != nil {
		p.Sending = fmt.Sprintf("job %d output %d", q.sending.job, q.sending.out+1)
	}
	return p
}

// PrinterAction pauses, resumes, enables, disables or drains a printer.
func (s *Service) PrinterAction(ctx context.Context, name, action string) (api.Printer, error) {
	if _, err := s.printerAction(name, action); err != nil {
		return api.Printer{}, err
	}
	return s.apiPrinter(s.printers[name], 0, 0), nil
}

// Move sends a job's unsent outputs to another printer or pool.
func (s *Service) Move(ctx context.Context, id int64, m api.JobMove) (api.Job, error) {
	if _, err := jobs.Find(s.store, id); err != nil {
		return api.Job{}, err
	}
	j, err := s.moveJob(id, m.Target)
	return jobs.API(j), err
}

// Priority sets a job's dispatch priority.
func (s *Service) Priority(ctx context.Context, id int64, p api.JobPriority) (api.Job, error) {
	if _, err := jobs.Find(s.store, id); err != nil {
		return api.Job{}, err
	}
	j, err := s.setPriority(id, p.Priority)
	return jobs.API(j), err
}

// Restart queues pieces of a job to be printed again.
func (s *Service) Restart(ctx context.Context, id int64, r api.JobRestart) (api.RestartResult, error) {
	j, added, err := s.restart(id, r)
	if err != nil {
		return api.RestartResult{}, err
	}
	res := api.RestartResult{Job: jobs.API(j)}
	for _, o := range added {
		res.Outputs = append(res.Outputs, jobs.APIOutput(j, o))
	}
	return res, nil
}

// apiCaps are the capabilities the pools route by: those declared, else
// those the device said.
func apiCaps(decl config.Capabilities, asked *drivers.Capabilities) api.PrinterCaps {
	c := api.PrinterCaps{Formats: decl.Formats, Duplex: decl.Duplex, Color: decl.Color, Media: decl.Media}
	if asked == nil {
		return c
	}
	c.Asked = true
	if len(c.Formats) == 0 {
		c.Formats = asked.Formats
	}
	if len(c.Media) == 0 {
		c.Media = asked.Media
	}
	if c.Duplex == nil {
		d := asked.Duplex
		c.Duplex = &d
	}
	if c.Color == nil {
		col := asked.Color
		c.Color = &col
	}
	return c
}
