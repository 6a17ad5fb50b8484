package afp

import "fmt"

// maxAddedKept bounds the encodings of added fields an output keeps.
const maxAddedKept = 256

// addedEnc is the encoding of fields a hook returned.
type addedEnc struct {
	fields []*Field
	enc    []byte
}

// encodeAdded returns the bytes of the fields added before one field,
// each framed as the input frames its own. A hook that returns the same
// fields for many pages (the same *Field values, which must not change)
// gets them encoded once: the encodings of the last few sets are kept.
func (o *output) encodeAdded(fields []*Field) ([]byte, error) {
	if len(fields) == 0 || fields[0] == nil { // not kept
		enc, err := o.appendAdded(o.scratch[:0], fields)
		o.scratch = enc
		return enc, err
	}
	if e, ok := o.added[fields[0]]; ok && samePointers(e.fields, fields) {
		return e.enc, nil
	}
	enc, err := o.appendAdded(nil, fields)
	if err != nil {
		return nil, err
	}
	if o.added == nil || len(o.added) >= maxAddedKept {
		o.added = make(map[*Field]addedEnc)
	}
	o.added[fields[0]] = addedEnc{fields: append([]*Field(nil), fields...), enc: enc}
	return enc, nil
}

func samePointers(a, b []*Field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// appendAdded appends the framed encoding of each field that is not nil.
func (o *output) appendAdded(b []byte, fields []*Field) ([]byte, error) {
	var err error
	for _, f := range fields {
		if f == nil {
			continue
		}
		if b, err = o.appendFramed(b, f); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// appendFramed appends a field the output adds with the input's framing:
// its record descriptor, the field, its separator or padding. A field that
// brings its own filler (Pre or Trail) is written as it is.
func (o *output) appendFramed(b []byte, f *Field) ([]byte, error) {
	fr := o.idx.Framing
	if fr.None() || len(f.Pre) > 0 || len(f.Trail) > 0 {
		return appendField(b, f)
	}
	size := f.Size()
	var fits bool
	if o.tail, fits = fr.appendTrail(o.tail[:0], size); !fits {
		return nil, fmt.Errorf("afp: write %s: %w", f.Name(), fieldErr("%d bytes do not fit in the input's records of %d bytes", size, fr.Record))
	}
	b = fr.appendLead(b, size)
	b, err := appendField(b, f)
	if err != nil {
		return nil, err
	}
	return append(b, o.tail...), nil
}

// appendField checks f and appends its bytes, as encodeField writes them.
func appendField(b []byte, f *Field) ([]byte, error) {
	var hdr [introducerLen]byte
	if err := checkField(f, &hdr); err != nil {
		return nil, fmt.Errorf("afp: write %s: %w", f.Name(), err)
	}
	b = append(append(b, f.Pre...), hdr[:]...)
	if f.Flags&FlagExt != 0 {
		b = append(append(b, byte(1+len(f.Ext))), f.Ext...)
	}
	b = append(append(b, f.Data...), f.Pad...)
	return append(b, f.Trail...), nil
}
