package pdf

import (
	"bytes"
	"fmt"
)

// WriteEach writes the PDF each spec describes, as WriteOutputs would,
// into memory instead of to spec.Path (which only names it, in the file
// ID and in errors), and calls each with it in order. Nothing goes to
// disk: the caller stores the bytes (the archive cuts every piece of an
// output this way).
func (d *Doc) WriteEach(specs []OutputSpec, each func(i int, data []byte) error) (err error) {
	defer guard(&err, d.path+": write")
	defer d.reading()()
	in := &carried{outline: d.outlineTree(), records: d.readRecords()}
	if in.labels, err = d.pageLabels(); err != nil {
		in.labels = nil // as in WriteOutputs
	}
	var buf bytes.Buffer
	for i := range specs {
		spec := &specs[i]
		if err := spec.check(d.PageCount()); err != nil {
			return fmt.Errorf("%s: write %s: %w", d.path, spec.Path, err)
		}
		buf.Reset()
		if err := newWriter(d, spec, in, &buf).run(); err != nil {
			return fmt.Errorf("%s: write %s: %w", d.path, spec.Path, err)
		}
		if err := each(i, bytes.Clone(buf.Bytes())); err != nil {
			return err
		}
	}
	return nil
}
