package ctl

import (
	"fmt"
	"io"
	"strings"

	"github.com/omsd/omsd/api"
)

// barWidth is the number of cells in a progress bar.
const barWidth = 20

// watchPrinter writes events as lines, and progress events as a per-job
// progress bar: redrawn in place on a terminal, else a plain line per 10%
// step.
type watchPrinter struct {
	w    io.Writer
	tty  bool
	bar  int64         // tty: the job whose bar is on the current line, or 0
	step map[int64]int // not tty: the last step printed per job
}

func newWatchPrinter(w io.Writer, tty bool) *watchPrinter {
	return &watchPrinter{w: w, tty: tty, step: map[int64]int{}}
}

// event writes one event.
func (p *watchPrinter) event(ev api.Event) error {
	if ev.Type == api.EventProgress {
		return p.progress(ev)
	}
	if err := p.endBar(); err != nil {
		return err
	}
	if finished(ev.State) {
		delete(p.step, ev.Job)
	}
	_, err := fmt.Fprintln(p.w, eventLine(ev))
	return err
}

// progress draws ev's progress bar.
func (p *watchPrinter) progress(ev api.Event) error {
	if p.tty {
		if p.bar != 0 && p.bar != ev.Job {
			if err := p.endBar(); err != nil {
				return err
			}
		}
		p.bar = ev.Job
		_, err := fmt.Fprintf(p.w, "\r%s\x1b[K", progressBar(ev))
		return err
	}
	s := step(ev)
	if last, ok := p.step[ev.Job]; ok && last == s {
		return nil
	}
	p.step[ev.Job] = s
	_, err := fmt.Fprintln(p.w, progressBar(ev))
	return err
}

// endBar ends the line of a bar drawn in place, if any.
func (p *watchPrinter) endBar() error {
	if p.bar == 0 {
		return nil
	}
	p.bar = 0
	_, err := io.WriteString(p.w, "\n")
	return err
}

// eventLine is "time job N state reasons message"; events without a state
// show their type instead.
func eventLine(ev api.Event) string {
	state := ev.State
	if state == "" {
		state = ev.Type
	}
	parts := []string{ev.Time.Local().Format("15:04:05"), "job " + itoa(ev.Job), clean(state)}
	if r := reasons(ev.Reasons); r != "" {
		parts = append(parts, clean(r))
	}
	if ev.Message != "" {
		parts = append(parts, clean(ev.Message))
	}
	return strings.Join(parts, " ")
}

// progressBar is "job N [#####-----] done/total sheets".
func progressBar(ev api.Event) string {
	done, total := max(ev.SheetsDone, 0), ev.Sheets
	if total <= 0 {
		return fmt.Sprintf("job %d [%s] %d/? sheets", ev.Job, strings.Repeat("-", barWidth), done)
	}
	filled := min(done, total) * barWidth / total
	return fmt.Sprintf("job %d [%s%s] %d/%d sheets", ev.Job,
		strings.Repeat("#", filled), strings.Repeat("-", barWidth-filled), done, total)
}

// step is the 10% step of ev's progress, 0 to 10.
func step(ev api.Event) int {
	if ev.Sheets <= 0 {
		return 0
	}
	return min(max(ev.SheetsDone, 0), ev.Sheets) * 10 / ev.Sheets
}

// finished reports whether a job in state is done for good.
func finished(state string) bool {
	return state == "canceled" || state == "aborted" || state == "completed"
}
