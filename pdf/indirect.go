package pdf

import (
	"bytes"
	"fmt"
	"sort"
)

// parseAt parses the indirect object "num gen obj ... endobj" at off in the
// file. If want is not negative, the header must name object want. With
// streams false, a stream object is returned as its dictionary, and its
// length is not looked up (which may need other objects).
func (d *Doc) parseAt(off int64, want int, streams bool) (object, error) {
	o, _, err := d.parseIndirect(off, want, streams)
	return o, err
}

// parseIndirect is parseAt, and also returns where the object's data ends
// (for a stream, where its data ends).
func (d *Doc) parseIndirect(off int64, want int, streams bool) (object, int, error) {
	return d.parseWithin(len(d.data), off, want, streams)
}

// parseWithin is parseIndirect for an object whose text (up to its stream
// data) lies before limit.
func (d *Doc) parseWithin(limit int, off int64, want int, streams bool) (object, int, error) {
	if off < 0 || off >= int64(limit) {
		return nil, 0, fmt.Errorf("offset %d is outside the file", off)
	}
	l := &lexer{b: d.data[:limit], pos: int(off)}
	defer func() { d.touched(off, int64(l.pos)) }() // the object's text, up to its stream data
	num, _, ok := l.header()
	if !ok {
		return nil, 0, fmt.Errorf("no object header at offset %d", off)
	}
	if want >= 0 && num != want {
		return nil, 0, fmt.Errorf("the header at offset %d names object %d", off, num)
	}
	o, err := l.object(0)
	if err != nil {
		return nil, 0, err
	}
	dct, isDict := o.(dict)
	if !isDict || !streams || !l.expect("stream") {
		return o, l.pos, nil
	}
	start, end, err := d.streamData(l.pos, dct)
	if err != nil {
		return nil, 0, fmt.Errorf("object %d: %w", num, err)
	}
	d.touched(int64(end), int64(end)+int64(len("\nendstream")))
	return &stream{dict: dct, data: d.data[start:end:end], pos: int64(start)}, end, nil
}

// streamData returns the data of a stream whose "stream" keyword ends at
// pos. Its /Length is believed if "endstream" follows it; otherwise the
// data runs to the next "endstream".
func (d *Doc) streamData(pos int, dct dict) (start, end int, err error) {
	switch {
	case bytes.HasPrefix(d.data[pos:], []byte("\r\n")):
		pos += 2
	case pos < len(d.data) && (d.data[pos] == '\n' || d.data[pos] == '\r'):
		pos++
	}
	if n, ok := d.length(dct.get("Length")); ok && n >= 0 && n <= int64(len(d.data)-pos) {
		end := pos + int(n)
		l := &lexer{b: d.data, pos: end}
		if l.expect("endstream") {
			return pos, end, nil
		}
	}
	end = d.nextEndstream(pos)
	if end < 0 {
		return 0, 0, fmt.Errorf("stream at offset %d has no end", pos)
	}
	switch {
	case bytes.HasSuffix(d.data[pos:end], []byte("\r\n")):
		end -= 2
	case end > pos && (d.data[end-1] == '\n' || d.data[end-1] == '\r'):
		end--
	}
	return pos, end, nil
}

// length returns a stream's /Length: an integer, or a reference to one
// (looked up only once the xref is known).
func (d *Doc) length(o object) (int64, bool) {
	if r, ok := o.(ref); ok {
		if d.xref == nil {
			return 0, false
		}
		v, err := d.loadObject(r.num, false)
		if err != nil {
			return 0, false
		}
		o = v
	}
	n, ok := o.(int64)
	return n, ok
}

// nextEndstream returns where the first "endstream" at or after pos
// starts, or -1. While the xref is rebuilt, the answer comes from an index
// of them all, so that scanning a file of broken streams stays linear.
func (d *Doc) nextEndstream(pos int) int {
	if d.endstreams == nil {
		return d.index(pos, "endstream")
	}
	if i := sort.SearchInts(d.endstreams, pos); i < len(d.endstreams) {
		return d.endstreams[i]
	}
	return -1
}
