package ctl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/omsd/omsd/api"
)

// runWatch: omsctl watch [--job ID] [--json]
func runWatch(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("watch", "[--job ID] [--json]")
	job := fs.Int64("job", 0, "only this job's events (`ID`)")
	asJSON := fs.Bool("json", false, "print the raw events, one JSON document per line")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("watch", pos); err != nil {
		return err
	}
	if *job < 0 {
		return fmt.Errorf("watch: bad job id %d: want a positive integer", *job)
	}
	w, err := e.client.Watch(ctx, *job)
	if err != nil {
		if ctx.Err() != nil {
			return nil // interrupted while connecting
		}
		return fmt.Errorf("watch: %w", err)
	}
	defer w.Close()
	var show func(api.Event) error
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		show = func(ev api.Event) error { return enc.Encode(ev) }
	} else {
		ended, err := showNow(ctx, e, *job)
		if err != nil || ended {
			return err
		}
		p := newWatchPrinter(e.stdout, isTerminal(e.stdout))
		defer p.endBar()
		show = p.event
	}
	return follow(ctx, w, show)
}

// showNow prints where things stand before the events that follow (the
// stream is already subscribed, so nothing falls between): the job's state,
// or the daemon's jobs by state. It reports whether the job has ended, so
// that there is nothing left to watch.
func showNow(ctx context.Context, e *env, job int64) (bool, error) {
	if job > 0 {
		j, err := e.client.Job(ctx, job)
		if err != nil {
			return false, fmt.Errorf("watch: %w", err)
		}
		fmt.Fprintf(e.stdout, "job %d %s: %s %s %s\n", j.ID, j.Name, j.State, strings.Join(j.StateReasons, ","), j.Message)
		ended := slices.Contains([]string{"completed", "aborted", "canceled"}, j.State)
		switch {
		case ended && j.Loop != nil && j.Loop.State != "closed":
			fmt.Fprintf(e.stdout, "job %d is %s; its run is %s on line %s: watching what the line reports\n", j.ID, j.State, j.Loop.State, j.Loop.Line)
		case ended:
			fmt.Fprintf(e.stdout, "job %d has ended (%s): nothing more to watch; omsctl job show %d tells its story\n", j.ID, j.State, j.ID)
			return true, nil
		}
		return false, nil
	}
	st, err := e.client.Status(ctx)
	if err != nil {
		return false, fmt.Errorf("watch: %w", err)
	}
	states := slices.Sorted(maps.Keys(st.Jobs))
	var parts []string
	total := 0
	for _, s := range states {
		parts = append(parts, fmt.Sprintf("%d %s", st.Jobs[s], s))
		total += st.Jobs[s]
	}
	fmt.Fprintf(e.stdout, "omsd %s: %d jobs (%s); watching events, Ctrl-C ends\n", st.Version, total, strings.Join(parts, ", "))
	return false, nil
}

// eventSource is what follow reads; *client.Watcher is one.
type eventSource interface {
	Next() (api.Event, error)
}

// follow passes events from src to show until ctx ends (not an error), the
// daemon ends the stream, or show fails.
func follow(ctx context.Context, src eventSource, show func(api.Event) error) error {
	for {
		ev, err := src.Next()
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, io.EOF):
			return errors.New("watch: omsd ended the event stream")
		case err != nil:
			return fmt.Errorf("watch: %w", err)
		}
		if err := show(ev); err != nil {
			return fmt.Errorf("watch: %w", err)
		}
	}
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
