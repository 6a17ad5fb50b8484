package web

import (
	"sync"
	"time"
)

// Login throttling: after maxFailures failed logins for one name or from
// one address within failureWindow, further attempts are refused, without
// checking the password, until a delay has passed: firstLock, doubling
// with each further failure, at most maxLock.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
	firstLock     = 30 * time.Second
	maxLock       = 15 * time.Minute
	maxTracked    = 10000 // keys kept; the oldest are dropped beyond it
)

// throttle counts failed logins by key (a user name, a client address).
type throttle struct {
	mu     sync.Mutex
	fails  map[string]*failures
	now    func() time.Time
	pruned time.Time // the last prune
}

type failures struct {
	n     int
	last  time.Time
	until time.Time // refused until then
}

func newThrottle(now func() time.Time) *throttle {
	return &throttle{fails: map[string]*failures{}, now: now}
}

// wait is how long the keys are still refused; 0 if none is.
func (t *throttle) wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var longest time.Duration
	for _, k := range keys {
		if f, ok := t.fails[k]; ok && now.Before(f.until) {
			longest = max(longest, f.until.Sub(now))
		}
	}
	return longest
}

// fail counts a failed login for each key.
func (t *throttle) fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.fails) >= maxTracked && now.Sub(t.pruned) > 10*time.Second {
		t.prune(now) // at most every 10 s: a full map of recent failures stays as it is
		t.pruned = now
	}
	for _, k := range keys {
		f, ok := t.fails[k]
		if !ok && len(t.fails) >= maxTracked {
			continue // full of recent failures: those kept still throttle
		}
		if !ok || now.Sub(f.last) > failureWindow {
			f = &failures{}
			t.fails[k] = f
		}
		f.n++
		f.last = now
		if f.n >= maxFailures {
			lock := firstLock << min(f.n-maxFailures, 5)
			f.until = now.Add(min(lock, maxLock))
		}
	}
}

// succeed forgets the failures of the keys.
func (t *throttle) succeed(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		delete(t.fails, k)
	}
}

// prune drops keys whose failures are old.
func (t *throttle) prune(now time.Time) {
	for k, f := range t.fails {
		if now.Sub(f.last) > failureWindow && !now.Before(f.until) {
			delete(t.fails, k)
		}
	}
}
