package diskspace

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// Usage is the space of the filesystem that holds Path.
type Usage struct {
	Path     string // the watched path
	Dev      uint64 // the filesystem's device, to tell filesystems apart
	Free     uint64 // bytes an unprivileged writer may still use (f_bavail)
	Total    uint64 // the filesystem's size in bytes
	ReadOnly bool   // mounted read-only
}

// Stat returns the space of the filesystem that holds path: one stat(2)
// and one statfs(2).
func Stat(path string) (Usage, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return Usage{}, fmt.Errorf("diskspace: %s: %w", path, err)
	}
	var fs unix.Statfs_t
	if err := unix.Statfs(path, &fs); err != nil {
		return Usage{}, fmt.Errorf("diskspace: statfs %s: %w", path, err)
	}
	bs := uint64(fs.Bsize)
	return Usage{
		Path: path, Dev: uint64(st.Dev),
		Free: fs.Bavail * bs, Total: fs.Blocks * bs,
		ReadOnly: fs.Flags&unix.ST_RDONLY != 0,
	}, nil
}

// low says why u is below watermark w, or "" if it is not.
func low(u Usage, w Watermark) string {
	if u.ReadOnly {
		return fmt.Sprintf("%s is on a read-only filesystem", u.Path)
	}
	if min := w.For(u.Total); u.Free < min {
		return fmt.Sprintf("only %s free on %s (of %s; spool.min_free is %s)",
			FormatBytes(u.Free), u.Path, FormatBytes(u.Total), w)
	}
	return ""
}
