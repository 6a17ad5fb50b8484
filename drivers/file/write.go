package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/omsd/omsd/drivers"
)

// chunkSize is how much is copied between checks of the context.
const chunkSize = 256 << 10

// writer copies one document into its output file.
type writer struct {
	ctx      context.Context
	doc      drivers.Document
	mode     os.FileMode // of the output
	size     int64       // bytes in the document, for progress
	progress func(drivers.Progress)
	done     int // sheets last reported
}

// write copies src to out through a temporary file in out's directory,
// then syncs, renames and syncs the directory. On any error the temporary
// file is removed. Errors reading src wrap ErrSource.
func (w *writer) write(src io.Reader, out string) (err error) {
	dir := filepath.Dir(out)
	tmp, err := os.CreateTemp(dir, fmt.Sprintf(".omsd-%d-*.tmp", w.doc.JobID))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrOutputDir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := w.copy(tmp, src); err != nil {
		return err
	}
	if err := tmp.Chmod(w.mode); err != nil {
		return fmt.Errorf("file: chmod %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("file: sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("file: close %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("file: rename to %s: %w", out, err)
	}
	return syncDir(dir)
}

// copy copies src to dst in chunks, checking the context and reporting
// progress between chunks.
func (w *writer) copy(dst io.Writer, src io.Reader) error {
	buf := make([]byte, chunkSize)
	var copied int64
	for {
		if err := w.ctx.Err(); err != nil {
			return fmt.Errorf("file: copy canceled: %w", err)
		}
		n, rerr := src.Read(buf)
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return fmt.Errorf("file: write: %w", err)
			}
			copied += int64(n)
			w.report(copied)
		}
		if errors.Is(rerr, io.EOF) {
			if copied != w.size {
				return fmt.Errorf("%w: %d bytes read of a %d-byte document: it changed while it was written", ErrSource, copied, w.size)
			}
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("%w: %w", ErrSource, rerr)
		}
	}
}

// report calls progress when the estimated number of sheets done grew.
func (w *writer) report(copied int64) {
	if w.size <= 0 || w.doc.Sheets <= 0 {
		return
	}
	done := int(min(copied, w.size) * int64(w.doc.Sheets) / w.size)
	if done <= w.done {
		return
	}
	w.done = done
	w.progress(drivers.Progress{SheetsDone: done, Sheets: w.doc.Sheets, State: "processing"})
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("file: sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("file: sync directory %s: %w", dir, err)
	}
	return nil
}
