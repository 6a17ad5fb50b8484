// Package sdnotify speaks systemd's service notification protocol
// (sd_notify(3)): a service of Type=notify sends "READY=1" on the unix
// datagram socket named by $NOTIFY_SOCKET once it serves, "WATCHDOG=1" at
// least every $WATCHDOG_USEC while it is healthy, "RELOADING=1" and
// "STOPPING=1" around a reload and a stop. Without $NOTIFY_SOCKET (not
// started by systemd) every call does nothing.
package sdnotify

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

// The states omsd sends.
const (
	Ready     = "READY=1"
	Reloading = "RELOADING=1"
	Stopping  = "STOPPING=1"
	Watchdog  = "WATCHDOG=1"
)

// ErrNotify wraps a failure to reach systemd's socket.
var ErrNotify = errors.New("sdnotify: cannot notify systemd")

// Notify sends state (lines of KEY=VALUE) to $NOTIFY_SOCKET and reports
// whether it was sent; false with a nil error when the variable is unset.
// An abstract socket is named with a leading '@'.
func Notify(state string) (bool, error) {
	path := os.Getenv("NOTIFY_SOCKET")
	if path == "" {
		return false, nil
	}
	if path[0] != '/' && path[0] != '@' {
		return false, fmt.Errorf("%w: NOTIFY_SOCKET %q is neither a path nor an abstract socket", ErrNotify, path)
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrNotify, err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(state)); err != nil {
		return false, fmt.Errorf("%w: %w", ErrNotify, err)
	}
	return true, nil
}

// ReloadingState is the RELOADING=1 message with the monotonic time
// systemd asks for alongside it, given the clock's reading now.
func ReloadingState(monotonic time.Duration) string {
	return Reloading + "\nMONOTONIC_USEC=" + strconv.FormatInt(monotonic.Microseconds(), 10)
}

// WatchdogInterval is how often systemd expects WATCHDOG=1 from this
// process ($WATCHDOG_USEC), or false when no watchdog is set for it
// ($WATCHDOG_PID names another process, or the variables are unset).
func WatchdogInterval() (time.Duration, bool) {
	usec, err := strconv.ParseInt(os.Getenv("WATCHDOG_USEC"), 10, 64)
	if err != nil || usec <= 0 {
		return 0, false
	}
	if pid := os.Getenv("WATCHDOG_PID"); pid != "" && pid != strconv.Itoa(os.Getpid()) {
		return 0, false
	}
	return time.Duration(usec) * time.Microsecond, true
}
