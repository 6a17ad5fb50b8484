package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/omsd/omsd/api"
)

// maxEventLine bounds one line of the event stream.
const maxEventLine = 1 << 20

// Watcher reads the daemon's live event stream.
type Watcher struct {
	body io.ReadCloser
	sc   *bufio.Scanner
}

// Watch opens the event stream: every event, or only job's if job is not 0.
// The stream ends when ctx ends, when Close is called, or when the daemon
// stops.
func (c *Client) Watch(ctx context.Context, job int64) (*Watcher, error) {
	var q url.Values
	if job != 0 {
		q = url.Values{api.ParamJob: {strconv.FormatInt(job, 10)}}
	}
	res, err := c.send(ctx, http.MethodGet, api.PathEvents, q, nil)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 0, 4096), maxEventLine)
	return &Watcher{body: res.Body, sc: sc}, nil
}

// Next blocks until the next event. It returns io.EOF when the daemon ends
// the stream, and the context's error (wrapped) once the context ends.
func (w *Watcher) Next() (api.Event, error) {
	for w.sc.Scan() {
		line := w.sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var ev api.Event
		if err := json.Unmarshal(line, &ev); err != nil {
			return api.Event{}, fmt.Errorf("event stream: %w", err)
		}
		return ev, nil
	}
	if err := w.sc.Err(); err != nil {
		return api.Event{}, fmt.Errorf("event stream: %w", err)
	}
	return api.Event{}, io.EOF
}

// Close ends the stream.
func (w *Watcher) Close() error { return w.body.Close() }
