package pdf

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// WritePages writes a PDF holding the given pages of d, in that order, to
// path. The file appears complete or not at all: it is written to a
// temporary file in the same directory, synced, and renamed. If pages are
// exactly 1..PageCount, the input's bytes are copied unchanged.
func (d *Doc) WritePages(path string, pages []int) (err error) {
	defer d.reading()()
	spec := OutputSpec{Path: path, Pages: pages}
	if err := spec.check(d.PageCount()); err != nil {
		return fmt.Errorf("%s: write %s: %w", d.path, path, err)
	}
	identity := len(pages) == d.PageCount()
	for i, p := range pages {
		identity = identity && p == i+1
	}
	if !identity {
		return d.WriteOutputs([]OutputSpec{spec})
	}
	tmp, err := writeTemp(path, func(w io.Writer) error {
		if d.mapped != nil {
			return d.copyAll(w)
		}
		_, err := w.Write(d.data)
		return err
	})
	if err == nil {
		err = commit([]string{tmp}, []string{path})
	}
	if err != nil {
		return fmt.Errorf("%s: write %s: %w", d.path, path, err)
	}
	return nil
}

// WriteOutputs writes the outputs of a job, each in one pass over its
// pages: a page's dictionary is written with the attributes it inherits in
// the input copied onto it, and every object it reaches (contents, fonts,
// images) is written once per output, however many of its pages use it.
// Stream data is copied as stored; the page hook's content is written
// Flate-compressed, once per distinct content. Page labels follow the
// pages. The outline keeps the input's entries, every level, whose pages
// are in the output, pointing at them where they land, in output order,
// titles as stored; an entry whose page is not in the output gives way to
// its kids that are. A PDF/VT input's records (DParts) become the
// output's: one record for each run of output pages from one input record
// (a blank page goes with the record before it), with its /DPM and its
// ancestors' merged in, under a root node (/RecordLevel 1); every page
// points at its record. Article threads and the structure tree are not
// written (they describe the whole input).
//
// Outputs are written in parallel, each to a temporary file in its
// directory. Only when all are written and synced are they renamed into
// place, so that a failed job leaves no output behind.
func (d *Doc) WriteOutputs(outs []OutputSpec) (err error) {
	defer guard(&err, d.path+": write")
	defer d.reading()()
	seen := map[string]bool{}
	for i := range outs {
		if err := outs[i].check(d.PageCount()); err != nil {
			return fmt.Errorf("%s: write %s: %w", d.path, outs[i].Path, err)
		}
		if outs[i].PDFA {
			if outs[i].Protect != nil {
				return fmt.Errorf("%s: write %s: %w: PDF/A forbids encryption", d.path, outs[i].Path, ErrNotPDFA)
			}
			if err := d.checkPDFA(outs[i].Pages); err != nil {
				return fmt.Errorf("%s: write %s: %w", d.path, outs[i].Path, err)
			}
		}
		if seen[outs[i].Path] {
			return fmt.Errorf("%s: write %s: %w: the job names it twice", d.path, outs[i].Path, ErrOutput)
		}
		seen[outs[i].Path] = true
	}
	in := &carried{outline: d.outlineTree(), records: d.readRecords()}
	if in.labels, err = d.pageLabels(); err != nil {
		in.labels = nil // broken page labels are left out, not a reason to fail
	}
	tmps, err := d.writeAll(outs, in)
	if err != nil {
		return err
	}
	paths := make([]string, len(outs))
	for i := range outs {
		paths[i] = outs[i].Path
	}
	if err := commit(tmps, paths); err != nil {
		return fmt.Errorf("%s: write: %w", d.path, err)
	}
	return nil
}

// carried is what outputs carry of the input beyond their pages, read
// once for all of them.
type carried struct {
	labels  []labelRange
	outline []outlineNode
	records *inputRecords
}

// writeAll writes every output to a temporary file, as many at a time as
// there are processors, and returns the temporary files' names. If any
// fails, none is left behind.
func (d *Doc) writeAll(outs []OutputSpec, in *carried) ([]string, error) {
	tmps := make([]string, len(outs))
	errs := make([]error, len(outs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(outs), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				tmps[i], errs[i] = d.writeOne(&outs[i], in)
			}
		}()
	}
	for i := range outs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, tmp := range tmps {
			if tmp != "" {
				os.Remove(tmp)
			}
		}
		return nil, err
	}
	return tmps, nil
}

// writeOne writes one output to a temporary file beside its path.
func (d *Doc) writeOne(spec *OutputSpec, in *carried) (tmp string, err error) {
	defer guard(&err, d.path+": write "+spec.Path)
	defer d.reading()()
	tmp, err = writeTemp(spec.Path, func(w io.Writer) error {
		return newWriter(d, spec, in, w).run()
	})
	if err != nil {
		return "", fmt.Errorf("%s: write %s: %w", d.path, spec.Path, err)
	}
	return tmp, nil
}

// writeTemp creates a temporary file in path's directory holding what write
// writes, synced, and returns its name.
func writeTemp(path string, write func(io.Writer) error) (name string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return "", err
	}
	if err := f.Chmod(0o644); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

// commit renames the temporary files into place and syncs their
// directories. If a rename fails, the temporary files not yet renamed are
// removed.
func commit(tmps, paths []string) error {
	dirs := map[string]bool{}
	for i, tmp := range tmps {
		if err := os.Rename(tmp, paths[i]); err != nil {
			for _, t := range tmps[i:] {
				os.Remove(t)
			}
			return err
		}
		dirs[filepath.Dir(paths[i])] = true
	}
	for dir := range dirs {
		if err := syncDir(dir); err != nil {
			return err
		}
	}
	return nil
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
