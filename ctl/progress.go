package ctl

import (
	"fmt"
	"io"
	"strings"

	"github.com/omsd/omsd/api"
)

// barWidth is the number of cells in a progress bar.
const barWidth = 20

// watchPrinter writes events as lines, and progress events as a progress
// bar per printer (per job for devices that do not say): a block of bars
// redrawn in place on a terminal, else a plain line per 10% step.
type watchPrinter struct {
	w     io.Writer
	tty   bool
	keys  []string             // tty: the bars on screen, in order
	bars  map[string]api.Event // tty: the last progress of each bar
	step  map[string]int       // not tty: the last step printed per bar
	drawn int                  // tty: lines of the block on screen
}

func newWatchPrinter(w io.Writer, tty bool) *watchPrinter {
	return &watchPrinter{w: w, tty: tty, bars: map[string]api.Event{}, step: map[string]int{}}
}

// barKey names the bar of a progress event: its printer, else its job.
func barKey(ev api.Event) string {
	if ev.Printer != "" {
		return "printer " + ev.Printer
	}
	return "job " + itoa(ev.Job)
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
		for k := range p.step {
			if strings.HasSuffix(k, "/"+itoa(ev.Job)) {
				delete(p.step, k)
			}
		}
	}
	_, err := fmt.Fprintln(p.w, eventLine(ev))
	return err
}

// progress draws ev's progress bar.
func (p *watchPrinter) progress(ev api.Event) error {
	key := barKey(ev)
	if p.tty {
		if _, ok := p.bars[key]; !ok {
			p.keys = append(p.keys, key)
		}
		p.bars[key] = ev
		return p.redraw()
	}
	k, s := key+"/"+itoa(ev.Job), step(ev)
	if last, ok := p.step[k]; ok && last == s {
		return nil
	}
	p.step[k] = s
	_, err := fmt.Fprintln(p.w, progressBar(ev))
	return err
}

// redraw writes the block of bars over the one on screen.
func (p *watchPrinter) redraw() error {
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, k := range p.keys {
		fmt.Fprintf(&b, "\r%s\x1b[K\n", progressBar(p.bars[k]))
	}
	p.drawn = len(p.keys)
	_, err := io.WriteString(p.w, b.String())
	return err
}

// endBar leaves the block of bars on screen and starts a fresh one below
// the next lines.
func (p *watchPrinter) endBar() error {
	p.keys, p.bars, p.drawn = nil, map[string]api.Event{}, 0
	return nil
}

// eventLine is "time job N state reasons message"; events without a state
// show their type instead.
func eventLine(ev api.Event) string {
	state := ev.State
	if state == "" {
		state = ev.Type
	}
	if ev.Type == api.EventAlarm {
		state = "ALARM"
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

// progressBar is "job N [#####-----] done/total sheets", led by the
// printer and followed by the output when the event names them.
func progressBar(ev api.Event) string {
	done, total := max(ev.SheetsDone, 0), ev.Sheets
	label := fmt.Sprintf("job %d", ev.Job)
	if ev.Printer != "" {
		label = fmt.Sprintf("%-10s job %d %s", clean(ev.Printer), ev.Job, clean(ev.Output))
	}
	if total <= 0 {
		return fmt.Sprintf("%s [%s] %d/? sheets", label, strings.Repeat("-", barWidth), done)
	}
	filled := min(done, total) * barWidth / total
	return fmt.Sprintf("%s [%s%s] %d/%d sheets", label,
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
