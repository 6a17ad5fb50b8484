// Package localapitest provides an in-memory localapi.Backend with fixed
// content, and a helper that serves it on a unix socket, for the tests of
// localapi, client and ctl.
package localapitest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"sync"
	"time"

	"github.com/omsd/omsd/api"
)

// Backend is a narrow in-memory localapi.Backend: job 1 (pending) and job 2
// (held), two printers, and events pushed by the test through Emit.
//
// Submit fails with api.ErrBadRequest for workflow "nosuch" and with a plain
// error for workflow "broken"; Hold and Release fail with api.ErrConflict
// unless the job is pending or held respectively.
type Backend struct {
	mu        sync.Mutex
	jobs      map[int64]api.Job
	gotQuery  api.JobQuery
	submitted []byte
	subOpt    api.SubmitOptions
	subs      map[chan api.Event]bool
	subReady  chan struct{} // receives once per Subscribe
}

// T0 is the creation time of the fixed jobs and events.
var T0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// New returns a Backend holding jobs 1 and 2.
func New() *Backend {
	return &Backend{
		jobs: map[int64]api.Job{
			1: {ID: 1, Name: "inv.pdf", Workflow: "invoices", Printer: "lp1", State: "pending",
				StateReasons: []string{"none"}, Source: "in/invoices", Pieces: 2, Pages: 3, Sheets: 2, Created: T0, Updated: T0},
			2: {ID: 2, Name: "letters.pdf", Workflow: "letters", Printer: "lp1", State: "held",
				StateReasons: []string{"job-hold-until-specified"}, Source: "lpd", User: "alice", Origin: "lpd alice@10.1.2.3 queue stmts", Pieces: 1, Pages: 4, Sheets: 4, Created: T0, Updated: T0},
		},
		subs:     map[chan api.Event]bool{},
		subReady: make(chan struct{}, 64),
	}
}

// Status returns a fixed status.
func (f *Backend) Status(ctx context.Context) (api.Status, error) {
	return api.Status{Version: "0.1.0-test", PID: 42, Started: T0, StateDir: "omsd-data",
		Jobs: map[string]int{"pending": 1, "held": 1}, Printers: []string{"lp1"},
		Workflows: []string{"invoices", "letters"}, HotFolders: []api.HotFolder{{Dir: "in/invoices", Workflow: "invoices"}},
		Listeners: []api.Listener{{Protocol: "lpd", Address: "127.0.0.1:5515", Queues: []string{"invoices", "letters"}, Accepted: 3}}}, nil
}

// Jobs lists the jobs in q.States with an ID below q.Before, in id order,
// the newest q.Limit of them if set, and records q.
func (f *Backend) Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gotQuery = q
	var out []api.Job
	for id := int64(1); id <= int64(len(f.jobs)); id++ {
		j := f.jobs[id]
		if (len(q.States) == 0 || contains(q.States, j.State)) && (q.Before == 0 || id < q.Before) {
			out = append(out, j)
		}
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[len(out)-q.Limit:]
	}
	return out, nil
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

// Job returns job id with two pieces and one event.
func (f *Backend) Job(ctx context.Context, id int64) (api.JobDetail, error) {
	j, err := f.get(id)
	if err != nil {
		return api.JobDetail{}, err
	}
	return api.JobDetail{Job: j,
		PiecesDetail: []api.Piece{
			{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 1, Meta: map[string]string{"name": "Ann", "zip": "10115"}},
			{Seq: 2, FirstPage: 3, Pages: 1, Sheets: 1},
		},
		Events: []api.Event{{Seq: 7, Time: T0, Job: id, Type: api.EventState, State: j.State, Reasons: j.StateReasons, Message: "taken in"}},
	}, nil
}

// Preview returns one sheet of marks for an existing job's piece 1, and a
// one-pixel PNG when asked for an image.
func (f *Backend) Preview(ctx context.Context, id int64, seq int, withImage bool) (api.Preview, error) {
	if _, err := f.get(id); err != nil {
		return api.Preview{}, err
	}
	if seq != 1 {
		return api.Preview{}, fmt.Errorf("job %d prints no piece %d: %w", id, seq, api.ErrNotFound)
	}
	p := api.Preview{Job: id, Piece: 1, Output: "output.pdf", Profile: "pb-omr", Format: "pdf", Positions: []string{"BM", "EOC", "SAF"},
		Sheets: []api.PreviewSheet{{Envelope: 1, SheetInEnvelope: 1, SheetsInEnvelope: 1, SheetInPiece: 1, Counter: 1, OMR: "111"}}}
	if withImage {
		p.PNG = OnePixelPNG
	}
	return p, nil
}

// OnePixelPNG is the image the fake's previews carry: one white pixel.
var OnePixelPNG = func() []byte {
	var buf bytes.Buffer
	g := image.NewGray(image.Rect(0, 0, 1, 1))
	g.Pix[0] = 0xFF
	png.Encode(&buf, g)
	return buf.Bytes()
}()

// Plan returns an empty report for an existing job.
func (f *Backend) Plan(ctx context.Context, id int64) (api.Plan, error) {
	if _, err := f.get(id); err != nil {
		return api.Plan{}, err
	}
	return api.Plan{Reprints: []api.ReprintPostage{{Job: 3, Generation: 1, Pieces: []int{2, 3}, Envelopes: 1,
		Postage: []api.ProductPostage{{Product: "Standardbrief", Envelopes: 1, Postage: "0.95"}}, Total: "0.95"}}}, nil
}

func (f *Backend) get(id int64) (api.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	j, ok := f.jobs[id]
	if !ok {
		return api.Job{}, fmt.Errorf("job %d: %w", id, api.ErrNotFound)
	}
	return j, nil
}

// Submit adds a job, recording its options and content.
func (f *Backend) Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error) {
	if opt.Workflow == "nosuch" {
		return api.Job{}, fmt.Errorf("workflow %q: %w", opt.Workflow, api.ErrBadRequest)
	}
	if opt.Workflow == "broken" {
		return api.Job{}, fmt.Errorf("spool: disk on fire")
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return api.Job{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.submitted, f.subOpt = b, opt
	id := int64(len(f.jobs) + 1)
	st := "pending"
	if opt.Hold {
		st = "held"
	}
	j := api.Job{ID: id, Name: opt.Name, Workflow: opt.Workflow, State: st, StateReasons: []string{"none"}, Source: "api", Created: T0, Updated: T0}
	f.jobs[id] = j
	return j, nil
}

// Hold moves a pending job to held.
func (f *Backend) Hold(ctx context.Context, id int64) (api.Job, error) {
	return f.move(id, "pending", "held")
}

// Release moves a held job to pending.
func (f *Backend) Release(ctx context.Context, id int64) (api.Job, error) {
	return f.move(id, "held", "pending")
}

// Cancel cancels a job that is not canceled yet.
func (f *Backend) Cancel(ctx context.Context, id int64) (api.Job, error) {
	j, err := f.get(id)
	if err != nil {
		return j, err
	}
	return f.move(id, j.State, "canceled")
}

// move changes job id from state from to state to, or fails with a conflict.
func (f *Backend) move(id int64, from, to string) (api.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	j, ok := f.jobs[id]
	if !ok {
		return api.Job{}, fmt.Errorf("job %d: %w", id, api.ErrNotFound)
	}
	if j.State != from || from == "canceled" {
		return api.Job{}, fmt.Errorf("job %d is %s: %w", id, j.State, api.ErrConflict)
	}
	j.State = to
	f.jobs[id] = j
	return j, nil
}

// Printers returns an idle IPP printer and a stopped file printer.
func (f *Backend) Printers(ctx context.Context) ([]api.Printer, error) {
	yes := true
	return []api.Printer{
		{Name: "lp1", Driver: "ipp", URI: "ipp://localhost:8631/ipp/print", State: "idle", Reasons: []string{"none"}, AcceptingJobs: true, Queued: 2,
			Capabilities: api.PrinterCaps{Formats: []string{"application/pdf"}, Duplex: &yes, Media: []string{"iso_a4_210x297mm"}, Asked: true},
			ErrorPolicy:  api.PrinterPolicy{Action: "retry-job", Interval: 30 * time.Second, Limit: 5, FailoverAfter: 3},
			Counters:     api.PrinterCounters{Since: T0, OutputsSent: 12, SheetsSent: 3400, Failures: 2, FailuresInRow: 1}},
		{Name: "out", Driver: "file", State: "stopped", Reasons: []string{"media-empty"}, Error: "directory missing",
			ErrorPolicy: api.PrinterPolicy{Action: "stop-printer", FailoverAfter: 3}, Counters: api.PrinterCounters{Since: T0}},
	}, nil
}

// Subscribe registers a subscriber for Emit. The subscription ends with ctx
// or cancel.
func (f *Backend) Subscribe(ctx context.Context) (<-chan api.Event, func()) {
	ch := make(chan api.Event, 64)
	f.mu.Lock()
	f.subs[ch] = true
	f.mu.Unlock()
	f.subReady <- struct{}{}
	return ch, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.subs, ch)
	}
}

// WaitSubscribed blocks until n more subscriptions started or d passed, and
// reports whether they did.
func (f *Backend) WaitSubscribed(n int, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for range n {
		select {
		case <-f.subReady:
		case <-timer.C:
			return false
		}
	}
	return true
}

// Emit sends ev to every subscriber. A subscriber whose buffer is full
// misses the event.
func (f *Backend) Emit(ev api.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

// End closes every subscription, as a stopping daemon does.
func (f *Backend) End() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		close(ch)
	}
	clear(f.subs)
}

// Submitted returns the options and content of the last submitted job.
func (f *Backend) Submitted() (api.SubmitOptions, []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.subOpt, f.submitted
}

// States returns the states of the last Jobs call.
func (f *Backend) States() []string { return f.Query().States }

// Query returns the query of the last Jobs call.
func (f *Backend) Query() api.JobQuery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gotQuery
}

// JobState returns the state of job id, or "" if there is no such job.
func (f *Backend) JobState(id int64) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.jobs[id].State
}
