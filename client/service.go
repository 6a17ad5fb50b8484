package client

import (
	"fmt"
	"os"
)

// ServiceSocketPath is the socket of omsd run as a system service (the
// packaged unit's RuntimeDirectory): mode 0660, group omsd, so members of
// that group reach it.
const ServiceSocketPath = "/run/omsd/omsd.sock"

// serviceNotRunning tells the operator of the system service what to do.
const serviceNotRunning = "omsd is not running (no daemon at " + ServiceSocketPath + "); " +
	"start it with \"systemctl start omsd\" and see why it stopped with \"journalctl -u omsd\""

// pickSocket is local if it exists, else service if that exists, else
// local (whose absence the error then names).
func pickSocket(local, service string) string {
	if _, err := os.Stat(local); err == nil {
		return local
	}
	if _, err := os.Stat(service); err == nil {
		return service
	}
	return local
}

// deniedError is the error of a socket the caller may not open.
type deniedError struct {
	socket string
	err    error
}

func (e *deniedError) Error() string {
	return fmt.Sprintf("permission denied on %s: omsctl needs to run as a member of group omsd (\"usermod -aG omsd $USER\", then log in again) or as root", e.socket)
}

func (e *deniedError) Unwrap() error { return e.err }
