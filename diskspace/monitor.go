package diskspace

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"
)

// Monitor keeps a Gate up to date with the space of some paths. A nil
// Monitor watches nothing: it is always ready.
type Monitor struct {
	gate  *Gate
	paths []string
	log   zerolog.Logger
	kick  chan struct{}

	mu      sync.Mutex
	failing map[string]string // stat errors, logged once per path
}

// NewMonitor watches the filesystems of paths (each filesystem once) with
// watermark min and backoff (see Gate).
func NewMonitor(paths []string, min Watermark, backoff time.Duration, log zerolog.Logger) *Monitor {
	return &Monitor{
		gate: NewGate(min, backoff), paths: slices.Compact(slices.Sorted(slices.Values(paths))),
		log: log, kick: make(chan struct{}, 1), failing: map[string]string{},
	}
}

// State returns the gate's state as last seen.
func (m *Monitor) State() State {
	if m == nil {
		return State{Open: true}
	}
	return m.gate.State()
}

// Ready looks at the space now and returns nil if omsd may write spool
// data, else an error wrapping ErrNotReady that says why.
func (m *Monitor) Ready() error {
	if m == nil {
		return nil
	}
	if m.gate.Update(m.usage(), time.Now()) {
		return nil
	}
	m.wake()
	return m.gate.Ready()
}

// ReadyFor is Ready for writes under path: nil as well while the gate is
// closed for another filesystem than path's.
func (m *Monitor) ReadyFor(path string) error {
	if m == nil || m.Ready() == nil {
		return nil
	}
	dev, ok := devOf(path)
	if !ok {
		return m.gate.Ready()
	}
	return m.gate.ReadyFor(dev)
}

// Fail records a resource error: the gate closes until space returns on
// the filesystem the error names (on any watched one if it names none).
func (m *Monitor) Fail(err error) {
	if m == nil {
		return
	}
	us := m.usage()
	if dev, ok := devOf(PathOf(err)); ok {
		us = slices.DeleteFunc(us, func(u Usage) bool { return u.Dev != dev })
	}
	m.gate.Fail(Describe(err), us, time.Now())
	m.log.Warn().Err(err).Msg("resource error; intake paused and jobs held until space returns")
	m.wake()
}

// Retry forgets the last resource error (see Gate.Forget) and looks at
// the space again.
func (m *Monitor) Retry() error {
	if m == nil {
		return nil
	}
	m.gate.Forget()
	return m.Ready()
}

func (m *Monitor) wake() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// Run looks at the space every interval (and soon after a Fail) until ctx
// ends, calling opened each time the gate opens again.
func (m *Monitor) Run(ctx context.Context, interval time.Duration, opened func()) error {
	if m == nil {
		<-ctx.Done()
		return ctx.Err()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	seen := m.gate.State().Opens
	for {
		m.gate.Update(m.usage(), time.Now())
		if st := m.gate.State(); st.Opens != seen {
			seen = st.Opens
			m.log.Info().Msg("space is back; intake and held jobs resume")
			opened()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case <-m.kick:
		}
	}
}

// devOf is the device of the filesystem that holds path, or of its
// nearest existing parent directory.
func devOf(path string) (uint64, bool) {
	for p := path; p != "" && p != "."; p = filepath.Dir(p) {
		var st unix.Stat_t
		if unix.Stat(p, &st) == nil {
			return uint64(st.Dev), true
		}
		if p == filepath.Dir(p) {
			break
		}
	}
	return 0, false
}

// existing is path, or its nearest parent directory that exists: a
// directory omsd creates on first use is watched on its filesystem before.
func existing(path string) string {
	for p := path; ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil || p == filepath.Dir(p) {
			return p
		}
	}
}

// usage stats every path, once per filesystem; a path that cannot be
// read is logged once and left out.
func (m *Monitor) usage() []Usage {
	m.mu.Lock()
	defer m.mu.Unlock()
	var us []Usage
	for _, p := range m.paths {
		u, err := Stat(existing(p))
		if err != nil {
			if msg := err.Error(); m.failing[p] != msg {
				m.failing[p] = msg
				m.log.Warn().Err(err).Msg("cannot read the free space")
			}
			continue
		}
		delete(m.failing, p)
		u.Path = p
		if !slices.ContainsFunc(us, func(x Usage) bool { return x.Dev == u.Dev }) {
			us = append(us, u)
		}
	}
	return us
}
