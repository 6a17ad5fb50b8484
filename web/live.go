package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi"
)

// maxAlarms is how many recent alarm events the overview keeps.
const maxAlarms = 20

// live is what the console learns from the event stream: each printer's
// last progress and the recent alarms.
type live struct {
	mu       sync.Mutex
	progress map[string]api.Event // by printer
	alarms   []api.Event          // newest last
}

func newLive() *live { return &live{progress: map[string]api.Event{}} }

// follow reads b's events until ctx ends, resubscribing if the stream
// ends early.
func (l *live) follow(ctx context.Context, b localapi.Backend) error {
	for ctx.Err() == nil {
		evs, cancel := b.Subscribe(ctx)
		for ev := range evs {
			l.note(ev)
		}
		cancel()
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return ctx.Err()
}

func (l *live) note(ev api.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case ev.Type == api.EventProgress && ev.Printer != "":
		l.progress[ev.Printer] = ev
	case ev.Type == api.EventAlarm:
		l.alarms = append(l.alarms, ev)
		if len(l.alarms) > maxAlarms {
			l.alarms = l.alarms[len(l.alarms)-maxAlarms:]
		}
	}
}

// progressOf is the last progress event of printer.
func (l *live) progressOf(printer string) (api.Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ev, ok := l.progress[printer]
	return ev, ok
}

// sseEvent is what the browser gets for each event: enough to say what
// changed; the page fetches its live part again.
type sseEvent struct {
	Job     int64  `json:"job"`
	Type    string `json:"type"`
	State   string `json:"state,omitempty"`
	Printer string `json:"printer,omitempty"`
	Text    string `json:"text"`
}

// events streams the backend's events as Server-Sent Events until the
// browser goes away. A comment line every 20 s keeps proxies from closing
// an idle stream.
func (c *Console) events(w http.ResponseWriter, r *http.Request, se *session) {
	ctx := r.Context()
	evs, cancel := c.b.Subscribe(ctx)
	defer cancel()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(20 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case ev, ok := <-evs:
			if !ok {
				return
			}
			if !c.sessions.alive(se) {
				return // logged out or expired; the browser's reconnect is refused
			}
			data, _ := json.Marshal(sseEvent{Job: ev.Job, Type: ev.Type, State: ev.State, Printer: ev.Printer, Text: eventText(ev)})
			if _, err := fmt.Fprintf(w, "id: %d\nevent: omsd\ndata: %s\n\n", ev.Seq, data); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// eventText is one line about ev for the page's status line.
func eventText(ev api.Event) string {
	s := fmt.Sprintf("job %d: %s", ev.Job, ev.Type)
	switch {
	case ev.Type == api.EventProgress:
		s = fmt.Sprintf("job %d: %s of %s on %s", ev.Job, thousands(ev.SheetsDone), unit(ev.Sheets, "sheet"), ev.Printer)
	case ev.State != "":
		s = fmt.Sprintf("job %d: %s", ev.Job, ev.State)
	}
	if ev.Message != "" {
		s += " — " + ev.Message
	}
	return s
}
