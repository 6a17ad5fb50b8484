package usbvm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// ErrTool is wrapped by errors about a missing tool or package.
var ErrTool = errors.New("usbvm: tool missing")

// ensureTool finds name on PATH. When it is missing and the process runs
// as root (as CI does), the Debian package pkg is installed with apt-get;
// otherwise the error names the package.
func ensureTool(ctx context.Context, name, pkg string, logf func(string, ...any)) error {
	if _, err := exec.LookPath(name); err == nil {
		return nil
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: %s not found: install the Debian package %s (apt-get install %s)", ErrTool, name, pkg, pkg)
	}
	logf("usbvm: %s not found; installing %s with apt-get", name, pkg)
	if _, err := aptGet(ctx, "", "install", "-y", "-qq", "--no-install-recommends", pkg); err != nil {
		return fmt.Errorf("%w: %s not found and installing %s failed: %w", ErrTool, name, pkg, err)
	}
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("%w: %s still not found after installing %s", ErrTool, name, pkg)
	}
	return nil
}

// aptGet runs apt-get with args in dir and returns its output.
func aptGet(ctx context.Context, dir string, args ...string) ([]byte, error) {
	return run(ctx, dir, "apt-get", args...)
}

// run runs a command and returns its standard output; the error carries
// the end of its standard error.
func run(ctx context.Context, dir, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive", "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 600 {
			msg = "..." + msg[len(msg)-600:]
		}
		return out, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, msg)
	}
	return out, nil
}
