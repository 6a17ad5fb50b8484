package diskspace

import (
	"fmt"
	"sync"
	"time"
)

// Gate decides whether omsd may write spool data. Its methods are safe for
// concurrent use.
type Gate struct {
	min     Watermark
	backoff time.Duration

	mu       sync.Mutex
	closed   time.Time         // when it closed; zero while open
	reason   string            // why it is closed
	dev      uint64            // the filesystem it is closed for; 0: all, or not known
	failed   time.Time         // the last resource error not yet answered by space
	baseline map[uint64]uint64 // least free bytes per filesystem since that error
	usage    []Usage           // the last space seen
	opens    int               // times it opened, for whoever waits on it
}

// NewGate returns an open gate for watermark min; after a resource error
// it opens again when space grew, or after backoff.
func NewGate(min Watermark, backoff time.Duration) *Gate {
	return &Gate{min: min, backoff: backoff}
}

// State is a gate's state.
type State struct {
	Open   bool
	Reason string    // why it is closed
	Dev    uint64    // the filesystem it is closed for; 0: all, or not known
	Since  time.Time // when it closed
	Usage  []Usage   // the last space seen
	Min    Watermark
	Opens  int // times it opened
}

// State returns the gate's state.
func (g *Gate) State() State {
	g.mu.Lock()
	defer g.mu.Unlock()
	return State{Open: g.closed.IsZero(), Reason: g.reason, Dev: g.dev, Since: g.closed, Usage: g.usage, Min: g.min, Opens: g.opens}
}

// Fail closes the gate after a resource error, described by cause; us is
// the space seen just after it on the filesystems that count: the gate
// opens early when one of them grows.
func (g *Gate) Fail(cause string, us []Usage, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failed, g.baseline = now, map[uint64]uint64{}
	for _, u := range us {
		g.baseline[u.Dev] = u.Free
	}
	var dev uint64
	if len(us) == 1 {
		dev = us[0].Dev
	}
	g.close(cause, dev, now)
	if len(us) > 0 {
		g.usage = us
	}
}

func (g *Gate) close(reason string, dev uint64, now time.Time) {
	if g.closed.IsZero() {
		g.closed = now
	}
	g.reason, g.dev = reason, dev
}

// Update weighs the space seen now and reports whether the gate is open.
func (g *Gate) Update(us []Usage, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.usage = us
	for _, u := range us {
		if why := low(u, g.min); why != "" {
			if b, ok := g.baseline[u.Dev]; ok && u.Free < b {
				g.baseline[u.Dev] = u.Free
			}
			g.close(why, u.Dev, now)
			return false
		}
	}
	if !g.failed.IsZero() && !g.grown(us) && now.Sub(g.failed) < g.backoff {
		return false
	}
	if !g.closed.IsZero() {
		g.opens++
	}
	g.closed, g.reason, g.dev, g.failed, g.baseline = time.Time{}, "", 0, time.Time{}, nil
	return true
}

// Forget drops the last resource error, as when an operator says the
// cause is dealt with: the gate opens at the next Update unless space is
// below the watermark.
func (g *Gate) Forget() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failed, g.baseline = time.Time{}, nil
}

// grown reports whether a filesystem has clearly more free space than at
// the last resource error.
func (g *Gate) grown(us []Usage) bool {
	for _, u := range us {
		b, ok := g.baseline[u.Dev]
		if ok && u.Free > b+margin(u.Total) {
			return true
		}
	}
	return false
}

// margin is the growth of free space that counts as space returned, not
// as a temporary file removed: 1 MiB, less on a small filesystem.
func margin(total uint64) uint64 {
	return min(1<<20, total/64)
}

// Ready returns nil while the gate is open, else an error wrapping
// ErrNotReady that says why.
func (g *Gate) Ready() error {
	st := g.State()
	if st.Open {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotReady, st.Reason)
}

// ReadyFor is Ready for writes to filesystem dev only: nil as well when
// the gate is closed for another filesystem.
func (g *Gate) ReadyFor(dev uint64) error {
	st := g.State()
	if st.Open || (st.Dev != 0 && st.Dev != dev) {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrNotReady, st.Reason)
}
