package diskspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ErrNotReady is wrapped by the error Gate.Ready returns while the gate is
// closed.
var ErrNotReady = errors.New("diskspace: resources are not ready")

// resourceErrnos are the errors that an operator can make go away without
// touching the data: a full filesystem, an exhausted quota, a filesystem
// remounted read-only, a failing device.
var resourceErrnos = []struct {
	errno syscall.Errno
	what  string
}{
	{syscall.ENOSPC, "no space left"},
	{syscall.EDQUOT, "disk quota exhausted"},
	{syscall.EROFS, "filesystem read-only"},
	{syscall.EIO, "input/output error"},
}

// IsResource reports whether err is, or wraps, a transient resource error.
func IsResource(err error) bool {
	if err == nil {
		return false
	}
	for _, r := range resourceErrnos {
		if errors.Is(err, r.errno) {
			return true
		}
	}
	return false
}

// Describe says in words what ran out and where, e.g. "no space left on
// /var/spool/omsd/jobs/7". It returns err's text for other errors.
func Describe(err error) string {
	what := ""
	for _, r := range resourceErrnos {
		if errors.Is(err, r.errno) {
			what = r.what
			break
		}
	}
	if what == "" {
		return err.Error()
	}
	if p := PathOf(err); p != "" {
		return fmt.Sprintf("%s on %s", what, p)
	}
	return what
}

// PathOf returns the path an error of a file operation names, or "".
func PathOf(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.New
	}
	return ""
}
