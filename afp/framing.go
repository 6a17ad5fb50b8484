package afp

import "bytes"

// Framing is how a print file frames its structured fields, as transfers
// and spools leave them: a record descriptor before each field (z/OS
// variable-length records), fixed bytes after each field (CR LF from a
// text-mode transfer, NULs), NUL padding to a fixed record length, or
// none. BuildIndex reads it from the first fields; WriteOutput frames
// every field it adds (IMMs, the hook's fields) the same way, so that an
// output never mixes framings.
type Framing struct {
	// Descriptor is set when a 4-byte record descriptor (length, two zero
	// bytes) precedes every field.
	Descriptor bool `json:"descriptor,omitempty"`
	// DescriptorSelf is set when the descriptor's length counts its own 4
	// bytes, as z/OS writes it; else it counts the field alone.
	DescriptorSelf bool `json:"descriptor_self,omitempty"`
	// Sep are the bytes after every field, before the next field's
	// descriptor or 0x5A: CR LF, LF, NULs.
	Sep []byte `json:"sep,omitempty"`
	// Record is set when every field fills a record of this many bytes
	// (its descriptor, the field, NULs up to the length): fixed-length
	// records.
	Record int `json:"record,omitempty"`
}

// detectFields is how many fields of a file the framing is read from.
const detectFields = 16

// None reports whether fields follow one another with nothing between.
func (fr Framing) None() bool { return !fr.Descriptor && len(fr.Sep) == 0 && fr.Record == 0 }

// appendLead appends what goes before a field of size bytes (from its
// 0x5A on): its record descriptor, if the file has them.
func (fr Framing) appendLead(b []byte, size int) []byte {
	if !fr.Descriptor {
		return b
	}
	n := size
	if fr.DescriptorSelf {
		n += 4
	}
	return append(b, byte(n>>8), byte(n), 0, 0)
}

// appendTrail appends what goes after a field of size bytes: the
// separator, or the NULs that fill its record; false when the field does
// not fit in a record.
func (fr Framing) appendTrail(b []byte, size int) ([]byte, bool) {
	if fr.Record == 0 {
		return append(b, fr.Sep...), true
	}
	if fr.Descriptor {
		size += 4
	}
	if size > fr.Record {
		return b, false
	}
	return append(b, make([]byte, fr.Record-size)...), true
}

// framingDetector reads the framing from the filler around the first
// fields of a file: the descriptor before each, and what lies between a
// field and the next one's descriptor, the same bytes every time (Sep) or
// NULs filling records of one length (Record).
type framingDetector struct {
	seen       int
	desc, self bool
	prevLen    int    // the last field's descriptor and bytes
	sep        []byte // the bytes after the first field
	record     int
	sepOK      bool // every field so far is followed by sep
	recordOK   bool // every field so far fills a record
}

// see takes the next field of the file.
func (d *framingDetector) see(f *rawField) {
	sep, desc, self := splitDescriptor(f.pre, f.raw)
	lead := 0
	if desc {
		lead = 4
	}
	switch {
	case d.seen == 0:
		d.desc, d.self = desc, self
	case desc != d.desc || desc && self != d.self:
		d.desc, d.sepOK, d.recordOK = false, false, false
		d.seen = detectFields // the fields disagree: take nothing for granted
		return
	case d.seen == 1:
		d.sep, d.record = bytes.Clone(sep), d.prevLen+len(sep)
		d.sepOK, d.recordOK = true, allNUL(sep)
	default:
		d.sepOK = d.sepOK && bytes.Equal(sep, d.sep)
		d.recordOK = d.recordOK && allNUL(sep) && d.prevLen+len(sep) == d.record
	}
	d.prevLen = lead + len(f.raw)
	d.seen++
}

// framing is what the fields seen say.
func (d *framingDetector) framing() Framing {
	fr := Framing{Descriptor: d.desc, DescriptorSelf: d.self}
	switch {
	case d.sepOK:
		fr.Sep = d.sep
	case d.recordOK:
		fr.Record = d.record
	}
	return fr
}

func allNUL(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
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
