package usbvm

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Paths in the guest.
const (
	guestModules = "/lib/modules/usbvm"
	guestScript  = "/usbvm/script.sh"
)

// initramfsSpec is what goes into the initramfs.
type initramfsSpec struct {
	busybox string            // static busybox on the host
	modules []string          // module files, in load order
	init    string            // the /init script
	script  string            // the test's script
	files   map[string]string // guest path -> host path
}

// buildInitramfs writes the initramfs for spec into the cache, named by
// the hash of its contents, unless it is there already; older ones are
// removed.
func buildInitramfs(cache string, spec initramfsSpec) (path string, reused bool, err error) {
	a, err := spec.archive()
	if err != nil {
		return "", false, err
	}
	sum := a.hash()
	path = filepath.Join(cache, "initramfs", "initrd-"+sum[:16]+".gz")
	if _, err := os.Stat(path); err == nil {
		return path, true, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", false, fmt.Errorf("usbvm: %w", err)
	}
	removeOthers(filepath.Dir(path), "")
	if err := writeGzip(path, a); err != nil {
		return "", false, err
	}
	return path, false, nil
}

// archive assembles the initramfs entries.
func (s initramfsSpec) archive() (*archive, error) {
	a := newArchive()
	for _, d := range []string{"proc", "sys", "dev", "tmp", "root", "sbin", "usr/bin", "usr/sbin"} {
		a.dir(d)
	}
	a.charDev("dev/console", 5, 1)
	a.charDev("dev/null", 1, 3)
	if err := addHostFile(a, "/bin/busybox", s.busybox, 0o755); err != nil {
		return nil, err
	}
	a.symlink("bin/sh", "busybox")
	a.file("init", 0o755, []byte(s.init))
	a.file(guestScript, 0o755, []byte(s.script))
	for _, m := range s.modules {
		if err := addHostFile(a, guestModules+"/"+filepath.Base(m), m, 0o644); err != nil {
			return nil, err
		}
	}
	guestPaths := make([]string, 0, len(s.files))
	for g := range s.files {
		guestPaths = append(guestPaths, g)
	}
	sort.Strings(guestPaths)
	for _, g := range guestPaths {
		if err := addProgram(a, g, s.files[g]); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// addProgram adds a host file and, for a dynamic program, its shared
// libraries at their host paths.
func addProgram(a *archive, guest, host string) error {
	st, err := os.Stat(host)
	if err != nil {
		return fmt.Errorf("usbvm: %w", err)
	}
	if err := addHostFile(a, guest, host, uint32(st.Mode().Perm())); err != nil {
		return err
	}
	libs, err := sharedLibraries(context.Background(), host)
	if err != nil {
		return err
	}
	for _, lib := range libs {
		if err := addHostFile(a, lib, lib, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// addHostFile adds the contents of a host file (following symlinks).
func addHostFile(a *archive, guest, host string, perm uint32) error {
	data, err := os.ReadFile(host)
	if err != nil {
		return fmt.Errorf("usbvm: %w", err)
	}
	a.file(guest, perm, data)
	return nil
}

// hash is the SHA-256 of the archive's entries, in hex.
func (a *archive) hash() string {
	h := sha256.New()
	a.writeTo(h)
	return hex.EncodeToString(h.Sum(nil))
}

// writeGzip writes the archive gzip-compressed to path, through a
// temporary file.
func writeGzip(path string, a *archive) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".initrd-*")
	if err != nil {
		return fmt.Errorf("usbvm: %w", err)
	}
	defer os.Remove(tmp.Name())
	zw, _ := gzip.NewWriterLevel(tmp, gzip.BestSpeed)
	if err := a.writeTo(zw); err != nil {
		tmp.Close()
		return fmt.Errorf("usbvm: writing initramfs: %w", err)
	}
	if err := closeAll(zw, tmp); err != nil {
		return fmt.Errorf("usbvm: writing initramfs: %w", err)
	}
	return os.Rename(tmp.Name(), path)
}

// closeAll closes each closer in order and returns the first error.
func closeAll(cs ...io.Closer) error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
