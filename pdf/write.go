package pdf

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
)

// WritePages writes a PDF holding the given pages of d, in that order, to
// path. The file appears complete or not at all: it is written to a
// temporary file in the same directory, synced, and renamed. If pages are
// exactly 1..PageCount, the input's bytes are copied unchanged.
func (d *Doc) WritePages(path string, pages []int) (err error) {
	if len(pages) == 0 {
		return fmt.Errorf("%s: write %s: %w: no pages selected", d.path, path, ErrPageRange)
	}
	identity := len(pages) == d.PageCount()
	for i, p := range pages {
		if p < 1 || p > d.PageCount() {
			return fmt.Errorf("%s: write %s: %w: page %d, the document has pages 1-%d",
				d.path, path, ErrPageRange, p, d.PageCount())
		}
		identity = identity && p == i+1
	}
	write := d.extract(pages)
	if identity {
		write = func(w io.Writer) error {
			_, err := w.Write(d.data)
			return err
		}
	}
	if err := writeAtomic(path, write); err != nil {
		return fmt.Errorf("%s: write %s: %w", d.path, path, err)
	}
	return nil
}

// extract returns a function writing a new PDF made of the given pages.
func (d *Doc) extract(pages []int) func(io.Writer) error {
	return func(w io.Writer) (err error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		defer guard(&err, "extract pages")
		out, err := pdfcpu.ExtractPages(d.ctx, pages, false)
		if err != nil {
			return fmt.Errorf("%w: its pages cannot be copied (%v)", ErrDamaged, err)
		}
		if err := api.WriteContext(out, w); err != nil {
			return fmt.Errorf("write PDF: %w", err)
		}
		return nil
	}
}

// writeAtomic creates path with what write writes: through a temporary
// file in the same directory, synced and renamed over path.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
