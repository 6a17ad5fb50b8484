package afp

import (
	"bytes"
	"io"
)

// Where a part of a split index begins: at the end of a page group, found
// from any offset of the file. The first structured field after the
// offset is the first 0x5A from which a chain of fields follows, each
// hopping by its length over the framing between fields (record
// descriptors, CR LF, NULs) to the next 0x5A of class D3. The chain can be
// fooled by page content that looks like fields; a part that begins at a
// wrong place does not pass the check in joinParts and is indexed again.

// syncWindows are the sizes of the windows read to look for the end of a
// page group, each tried when the one before held none.
var syncWindows = []int64{64 << 10, 1 << 20, 16 << 20}

const (
	chainHops = 8  // fields a chain must hold (unless the window ends first)
	maxFill   = 64 // filler bytes between two fields of a chain
)

// findSync returns the offset at or after c where a part can begin: the
// end of an ENG, preferably one after which the next piece invokes a
// medium map (or begins a document) before its first page, so that the
// part need not take the map in effect for granted; -1 when there is none
// near.
func findSync(r io.ReaderAt, c, size int64) int64 {
	for _, w := range syncWindows {
		n := min(w, size-c)
		buf := make([]byte, n)
		m, err := r.ReadAt(buf, c)
		if err != nil && err != io.EOF {
			return -1
		}
		if off := syncIn(buf[:m], c); off >= 0 || int64(m) < w {
			return off
		}
	}
	return -1
}

// syncIn looks for the end of a page group in buf, which is at offset c.
func syncIn(buf []byte, c int64) int64 {
	p := firstField(buf)
	if p < 0 {
		return -1
	}
	s := newScanner(nil, 0)
	s.reset(bytes.NewReader(buf[p:]), c+int64(p))
	fallback, cand := int64(-1), int64(-1) // cand: end of the last ENG, its piece not yet seen
	var f rawField
	for s.next(&f) == nil {
		switch f.id {
		case IDENG:
			if fallback < 0 {
				fallback = cand
			}
			cand = f.end()
		case IDIMM, IDBDT:
			if cand >= 0 {
				return cand
			}
		case IDBPG, IDIPG:
			if fallback < 0 {
				fallback = cand
			}
			cand = -1
		}
	}
	if fallback < 0 {
		return cand
	}
	return fallback
}

// firstField returns the index of the first field of buf, found by a chain
// of fields; -1 when there is none.
func firstField(buf []byte) int {
	for p := 0; p < len(buf); p++ {
		i := bytes.IndexByte(buf[p:], 0x5A)
		if i < 0 {
			return -1
		}
		if p += i; chainAt(buf[p:]) {
			return p
		}
	}
	return -1
}

// chainAt reports whether b starts with a chain of fields.
func chainAt(b []byte) bool {
	q := 0
	for hops := 0; hops < chainHops; hops++ {
		if len(b)-q < introducerLen {
			return hops > 1
		}
		if b[q] != 0x5A || b[q+3] != 0xD3 {
			return false
		}
		length := int(be16(b[q+1:]))
		if length < introducerLen-1 {
			return false
		}
		q += 1 + length
		for k := 0; q < len(b) && b[q] != 0x5A; k++ {
			w := b[q:min(q+7, len(b))]
			step := fillerStep(w)
			switch {
			case step > 0 && k < maxFill:
				q += step
			case len(w) < 7:
				return hops > 0 // the window ends in the filler
			default:
				return false
			}
		}
		if q > len(b) {
			return hops > 0 // the window ends in the field
		}
	}
	return true
}
