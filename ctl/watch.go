package ctl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

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
		p := newWatchPrinter(e.stdout, isTerminal(e.stdout))
		defer p.endBar()
		show = p.event
	}
	return follow(ctx, w, show)
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
