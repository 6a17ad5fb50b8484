// Package audit keeps omsd's audit trail: one JSON line per action a person
// took through a network front end (the web console, the IPP server, an
// archive retrieval), appended and synced before the action's answer goes
// out. The file is append-only; a line cut short by a crash is skipped when
// read.
package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Entry is one recorded action.
type Entry struct {
	Time   time.Time `json:"time"`
	User   string    `json:"user"`
	Role   string    `json:"role,omitempty"`
	Peer   string    `json:"peer,omitempty"`   // the client's address
	Action string    `json:"action"`           // e.g. "job.cancel", "archive.get", "login"
	Target string    `json:"target,omitempty"` // e.g. "job 12", "piece 12/7", "printer p1"
	Result string    `json:"result"`           // "ok", "denied", or the error
	Detail string    `json:"detail,omitempty"` // e.g. the reason given with an acknowledgement
}

// Log appends entries to an audit file.
type Log struct {
	mu   sync.Mutex
	path string
	f    *os.File
}

// Open opens (creating) the audit file at path for appending.
func Open(path string) (*Log, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if err := endLine(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("audit: %w", err)
	}
	return &Log{path: path, f: f}, nil
}

// endLine ends a line cut short by a crash, so that the next entry starts
// a line of its own.
func endLine(f *os.File) error {
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return err
	}
	last := make([]byte, 1)
	r, err := os.Open(f.Name())
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := r.ReadAt(last, st.Size()-1); err != nil {
		return err
	}
	if last[0] == '\n' {
		return nil
	}
	_, err = f.Write([]byte{'\n'})
	return err
}

// Path is the audit file's path.
func (l *Log) Path() string { return l.path }

// Record appends e, synced. A zero Time is set to now, an empty Result to "ok".
func (l *Log) Record(e Entry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if e.Result == "" {
		e.Result = "ok"
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return fmt.Errorf("audit: log closed")
	}
	if _, err := l.f.Write(line); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// Close closes the file.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// Filter selects entries when reading; zero fields select everything.
type Filter struct {
	Since, Until time.Time
	User, Action string
	Limit        int // the newest Limit entries; 0: all
}

func (f Filter) match(e Entry) bool {
	return (f.Since.IsZero() || !e.Time.Before(f.Since)) &&
		(f.Until.IsZero() || e.Time.Before(f.Until)) &&
		(f.User == "" || e.User == f.User) &&
		(f.Action == "" || e.Action == f.Action)
}

// maxLine bounds one entry's line when reading.
const maxLine = 64 << 10

// Read returns the entries of the audit file at path that f selects, oldest
// first. A missing file has none.
func Read(path string, f Filter) ([]Entry, error) {
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer file.Close()
	var out []Entry
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 4096), maxLine)
	for sc.Scan() {
		var e Entry
		if json.Unmarshal(sc.Bytes(), &e) != nil || !f.match(e) {
			continue // a line cut short by a crash, or not selected
		}
		out = append(out, e)
		if f.Limit > 0 && len(out) > 2*f.Limit {
			out = append(out[:0], out[len(out)-f.Limit:]...)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[len(out)-f.Limit:]
	}
	return out, nil
}
