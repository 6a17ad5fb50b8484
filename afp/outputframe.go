package afp

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
	enc, err := o.encodeAdded(added)
	if err != nil {
		return err
	}
	o.bw.Write(end)
	o.bw.Write(enc)
	o.bw.Write(lead)
	_, err = o.bw.Write(f.raw)
	return err
}

// padding appends the NULs that fill the output's last record, in files
// of fixed-length records: pieces put in another order follow other fields
// than in the input, which need other padding.
func (o *output) padding(b []byte) []byte {
	n := o.bw.n
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
