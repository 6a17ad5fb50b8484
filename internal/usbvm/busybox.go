package usbvm

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// busyboxPackage provides a statically linked busybox.
const busyboxPackage = "busybox-static"

// obtainBusybox returns a statically linked busybox: the machine's
// /bin/busybox if it is one (package busybox-static installed), else one
// extracted from the busybox-static package into the cache (apt-get
// download needs no root and leaves the machine's packages alone).
func obtainBusybox(ctx context.Context, cache string, logf func(string, ...any)) (string, error) {
	if dynamic, err := isDynamic("/bin/busybox"); err == nil && !dynamic {
		return "/bin/busybox", nil
	}
	cached := filepath.Join(cache, busyboxPackage, "busybox")
	if _, err := os.Stat(cached); err == nil {
		return cached, nil
	}
	logf("usbvm: no static /bin/busybox; downloading %s", busyboxPackage)
	tmp, err := os.MkdirTemp(cache, "busybox-download-")
	if err != nil {
		return "", fmt.Errorf("usbvm: %w", err)
	}
	defer os.RemoveAll(tmp)
	deb, err := download(ctx, tmp, busyboxPackage)
	if err != nil {
		return "", fmt.Errorf("%w (or install the Debian package %s)", err, busyboxPackage)
	}
	staged := filepath.Join(tmp, "busybox")
	err = walkDeb(ctx, deb, func(name string, r io.Reader) error {
		if name == "bin/busybox" || name == "usr/bin/busybox" {
			if err := writeFile(staged, r, 0o755); err != nil {
				return err
			}
			return errStopWalk
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
		return "", fmt.Errorf("usbvm: %w", err)
	}
	if err := os.Rename(staged, cached); err != nil {
		return "", fmt.Errorf("%w: %s has no bin/busybox: %w", ErrTool, filepath.Base(deb), err)
	}
	return cached, nil
}
