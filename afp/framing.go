package afp

import "bytes"

// Framing is how a print file frames its structured fields, as transfers
// and spools leave them: a record descriptor before each field (z/OS
// variable-length records), fixed bytes after each field (CR LF from a
// text-mode transfer, NUL padding), both, or neither. BuildIndex reads it
// from the first two fields; WriteOutput frames every field it adds (IMMs,
// the hook's fields) the same way, so that an output never mixes framings.
type Framing struct {
	// Descriptor is set when a 4-byte record descriptor (length, two zero
	// bytes) precedes every field.
	Descriptor bool `json:"descriptor,omitempty"`
	// DescriptorSelf is set when the descriptor's length counts its own 4
	// bytes, as z/OS writes it; else it counts the field alone.
	DescriptorSelf bool `json:"descriptor_self,omitempty"`
	// Sep are the bytes between the end of one field and the next field's
	// descriptor or 0x5A: CR LF, LF, NULs; empty when fields follow at once.
	Sep []byte `json:"sep,omitempty"`
}

// None reports whether fields follow one another with nothing between.
func (fr Framing) None() bool { return !fr.Descriptor && len(fr.Sep) == 0 }

// appendPre appends the bytes that go before a field of size bytes (from
// its 0x5A on) placed after another field: the separator, then the
// descriptor. first leaves out the separator, for the first field of a
// file.
func (fr Framing) appendPre(b []byte, size int, first bool) []byte {
	if !first {
		b = append(b, fr.Sep...)
	}
	if fr.Descriptor {
		n := size
		if fr.DescriptorSelf {
			n += 4
		}
		b = append(b, byte(n>>8), byte(n), 0, 0)
	}
	return b
}

// framingDetector reads the framing from the filler before the first two
// fields of a file.
type framingDetector struct {
	seen int
	fr   Framing
}

// see takes the next field of the file.
func (d *framingDetector) see(f *rawField) {
	switch d.seen {
	case 0:
		_, d.fr.Descriptor, d.fr.DescriptorSelf = splitDescriptor(f.pre, f.raw)
	case 1:
		sep, desc, self := splitDescriptor(f.pre, f.raw)
		if desc != d.fr.Descriptor || desc && self != d.fr.DescriptorSelf {
			d.fr = Framing{} // the first two fields disagree: take nothing for granted
			break
		}
		d.fr.Sep = bytes.Clone(sep)
	}
	d.seen++
}

// splitDescriptor divides the filler pre before a field raw into the
// bytes that end the previous field and the field's record descriptor,
// if pre ends with one; self says whether the descriptor counts itself.
func splitDescriptor(pre, raw []byte) (sep []byte, desc, self bool) {
	if len(pre) < 4 || len(raw) < 3 {
		return pre, false, false
	}
	d := pre[len(pre)-4:]
	if d[2] != 0 || d[3] != 0 {
		return pre, false, false
	}
	rec, size := int(be16(d)), len(raw)
	switch rec {
	case size + 4:
		return pre[:len(pre)-4], true, true
	case size:
		return pre[:len(pre)-4], true, false
	}
	return pre, false, false
}
