package afp

import "io"

// Reader reads structured fields one at a time, like archive/tar's Reader.
// Errors are sticky: after the first, Next returns it again.
type Reader struct {
	s       *scanner
	err     error
	started bool
}

// NewReader returns a Reader of the print file r. It buffers its input.
func NewReader(r io.Reader) *Reader {
	return &Reader{s: newScanner(r, 0)}
}

// Next returns the next structured field, with its own copy of the bytes,
// or io.EOF after the last one. Filler after the last field is returned in
// that field's Trail.
func (r *Reader) Next() (*Field, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.started {
		r.started = true
		if err := r.s.advance(); err != nil {
			if err == io.EOF && len(r.s.pre) > 0 {
				err = formatErr(ErrSyntax, 0, "", "no structured field, only %d bytes of filler", len(r.s.pre))
			}
			r.err = err
			return nil, err
		}
	}
	var rf rawField
	if err := r.s.field(&rf); err != nil {
		r.err = err
		return nil, err
	}
	f := rf.clone()
	switch err := r.s.advance(); {
	case err == io.EOF:
		f.Trail = cloneBytes(r.s.pre)
		r.err = io.EOF
	case err != nil:
		r.err = err
	}
	return f, nil
}

// clone copies a scanned field into a Field that owns its bytes.
func (f *rawField) clone() *Field {
	buf := make([]byte, len(f.pre)+len(f.raw))
	n := copy(buf, f.pre)
	raw := buf[n:]
	copy(raw, f.raw)
	ext, data, pad, _ := splitBody(raw, f.flags) // f was split before: no error
	out := &Field{ID: f.id, Flags: f.flags, Reserved: f.reserved, Ext: ext, Data: data, Pad: pad, Offset: f.off}
	if n > 0 {
		out.Pre = buf[:n:n]
	}
	return out
}

func cloneBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}
