//go:build failpoints

package failpoint

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

var (
	mu     sync.Mutex
	hits   int
	target = parse(os.Getenv(EnvVar))
)

type point struct {
	name string
	nth  int
}

// parse reads "name" or "name@N".
func parse(s string) point {
	name, n, ok := strings.Cut(s, "@")
	p := point{name: name, nth: 1}
	if ok {
		if v, err := strconv.Atoi(n); err == nil && v > 0 {
			p.nth = v
		}
	}
	return p
}

// Hit kills the process with SIGKILL if name is the configured failpoint
// and this is its configured hit.
func Hit(name string) {
	if target.name == "" || name != target.name {
		return
	}
	mu.Lock()
	hits++
	kill := hits == target.nth
	mu.Unlock()
	if kill {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
}
