package file

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/omsd/omsd/drivers"
)

// link, when d.Link is set, makes out a hard link to the source file src
// (already open as f; its mode is set to d.Mode)
// when both are on one filesystem: the source is synced (a no-op when the
// spool already made it durable), linked under a temporary name in out's
// directory, renamed over out and the directory synced. No byte is copied.
// It reports false, leaving nothing behind, when linking is not possible
// (another filesystem, no hard links), so the caller copies instead.
func (d *Driver) link(ctx context.Context, f *os.File, doc drivers.Document, out string) (bool, error) {
	if !d.Link {
		return false, nil
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	src, jobID := doc.Path, doc.JobID
	if err := f.Chmod(d.Mode); err != nil {
		return false, nil
	}
	if err := f.Sync(); err != nil {
		return false, nil
	}
	dir := filepath.Dir(out)
	tmp := filepath.Join(dir, ".omsd-"+strconv.FormatInt(jobID, 10)+"-"+
		strconv.FormatInt(time.Now().UnixNano(), 36)+".link")
	if err := os.Link(src, tmp); err != nil {
		return false, nil
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("file: rename to %s: %w", out, err)
	}
	return true, syncDir(dir)
}
