package afp

import (
	"fmt"
	"io"
)

// insertBefore writes the input field f with the fields added before it,
// each framed as the input frames its own: they go after the bytes that
// end the field before f (its separator or padding) and before f's own
// record descriptor.
func (o *output) insertBefore(f *rawField, added []*Field) error {
	end, lead := f.pre, []byte(nil)
	if fr := o.idx.Framing; fr.Descriptor || fr.Record > 0 {
		if sep, desc, _ := splitDescriptor(f.pre, f.raw); desc {
			end, lead = sep, f.pre[len(sep):]
		}
		if fr.Record > 0 { // the padding the field written last needs
			o.pad = o.padding(o.pad[:0])
			end = o.pad
		}
	}
	o.bw.Write(end)
	for _, h := range added {
		if h == nil {
			continue
		}
		if err := o.insert(h); err != nil {
			return err
		}
	}
	o.bw.Write(lead)
	_, err := o.bw.Write(f.raw)
	return err
}

// insert writes a field the output adds with the input's framing: its
// record descriptor, the field, its separator or padding. A field that
// brings its own filler (Pre or Trail) is written as it is.
func (o *output) insert(f *Field) error {
	fr := o.idx.Framing
	if fr.None() || len(f.Pre) > 0 || len(f.Trail) > 0 {
		return encodeField(o.bw, f)
	}
	if err := checkField(f, new([introducerLen]byte)); err != nil {
		return fmt.Errorf("afp: write %s: %w", f.Name(), err)
	}
	size := f.Size()
	var fits bool
	if o.tail, fits = fr.appendTrail(o.tail[:0], size); !fits {
		return fmt.Errorf("afp: write %s: %w", f.Name(), fieldErr("%d bytes do not fit in the input's records of %d bytes", size, fr.Record))
	}
	o.lead = fr.appendLead(o.lead[:0], size)
	o.bw.Write(o.lead)
	if err := encodeField(o.bw, f); err != nil {
		return err
	}
	_, err := o.bw.Write(o.tail)
	return err
}

// padding appends the NULs that fill the output's last record, in files
// of fixed-length records: pieces put in another order follow other fields
// than in the input, which need other padding.
func (o *output) padding(b []byte) []byte {
	n := o.cw.n + int64(o.bw.Buffered())
	rec := int64(o.idx.Framing.Record)
	return append(b, make([]byte, (rec-n%rec)%rec)...)
}

// trailer writes the input's trailer; in files of fixed-length records
// field by field, each padded after the field before it.
func (o *output) trailer() error {
	t := o.idx.Trailer
	if o.idx.Framing.Record == 0 || t.Length == 0 {
		return o.copySpan(t)
	}
	err := o.fields(t, func(f *rawField) error { return o.insertBefore(f, nil) })
	if err != nil {
		return err
	}
	if len(o.sc.pre) > 0 { // the input pads its last record
		o.pad = o.padding(o.pad[:0])
		o.bw.Write(o.pad)
	}
	return nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
