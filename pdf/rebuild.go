package pdf

import (
	"bytes"
	"fmt"
)

// rebuild makes a new xref by scanning the whole file for objects, as
// readers do with files whose xref is damaged or lies: the last definition
// of an object in the file counts. The trailer is the last one that names a
// catalog, or else one naming the last catalog found.
//
// An object's text must end before the next "obj" keyword (which may be
// its own "endobj"), so that scanning stays linear in the size of the file
// however damaged it is.
func (d *Doc) rebuild() error {
	d.xref, d.trailer = nil, nil
	d.endstreams = d.allIndexes("endstream")
	defer func() { d.endstreams = nil }()
	objs := d.allIndexes("obj")
	var entries []uint64
	var objstms []int
	var trailer dict
	catalog := -1
	pos := 0
	for i, at := range objs {
		if at < pos {
			continue // inside the stream data of an object already found
		}
		start := headerStart(d.data, at)
		if start < 0 {
			continue
		}
		limit := len(d.data)
		if i+1 < len(objs) {
			limit = objs[i+1] + 3
		}
		o, end, err := d.parseWithin(limit, int64(start), -1, true)
		if err != nil {
			continue
		}
		l := &lexer{b: d.data, pos: start}
		num, _, _ := l.header()
		if num >= maxObjects {
			continue
		}
		for num >= len(entries) {
			entries = append(entries, 0)
		}
		entries[num] = fileEntry(int64(start))
		pos = end
		switch t := typeOf(o); t {
		case "Catalog":
			catalog = num
		case "ObjStm":
			objstms = append(objstms, num)
		case "XRef":
			if s := o.(*stream); s.dict.has("Root") {
				trailer = s.dict
			}
		}
	}
	if t := d.lastTrailer(); t != nil {
		trailer = t
	}
	if len(entries) == 0 {
		return fmt.Errorf("no objects found")
	}
	d.xref = entries
	d.addObjstms(objstms)
	if trailer == nil || !trailer.has("Root") {
		if catalog < 0 {
			return fmt.Errorf("no catalog found")
		}
		trailer = dict{{"Root", ref{catalog, 0}}}
	}
	d.trailer = trailer
	return nil
}

// typeOf is the /Type of a dictionary or stream object.
func typeOf(o object) name {
	var t name
	switch o := o.(type) {
	case dict:
		t, _ = o.nameOf("Type")
	case *stream:
		t, _ = o.dict.nameOf("Type")
	}
	return t
}

// headerStart returns where the object header "num gen obj" whose keyword
// starts at at begins, or -1 if the keyword is not preceded by one.
func headerStart(b []byte, at int) int {
	if at+3 < len(b) && isRegular(b[at+3]) {
		return -1 // "objstm" or the like
	}
	i := at
	for range 2 { // "gen ", then "num "
		j := i
		for j > 0 && isSpace(b[j-1]) {
			j--
		}
		k := j
		for k > 0 && b[k-1] >= '0' && b[k-1] <= '9' {
			k--
		}
		if j == i || k == j {
			return -1 // no white space, or no digits
		}
		i = k
	}
	if i > 0 && isRegular(b[i-1]) {
		return -1
	}
	return i
}

// scanChunk is how much of the file a scan reads at a time, then counts
// as touched: a scan of a mapped file keeps no more than that resident.
const scanChunk = 16 << 20

// allIndexes returns where each occurrence of s in the file starts.
func (d *Doc) allIndexes(s string) []int {
	at := []int{} // not nil: nextEndstream tells an empty index from none
	for lo := 0; lo < len(d.data); lo += scanChunk {
		hi := min(lo+scanChunk, len(d.data))
		for _, i := range allIndexes(d.data[lo:min(hi+len(s)-1, len(d.data))], s) {
			if lo+i < hi { // one that starts in the next chunk is found there
				at = append(at, lo+i)
			}
		}
		d.touched(int64(lo), int64(hi))
	}
	return at
}

// allIndexes returns where each occurrence of s in b starts.
func allIndexes(b []byte, s string) []int {
	var at []int
	for pos := 0; ; {
		i := bytes.Index(b[pos:], []byte(s))
		if i < 0 {
			return at
		}
		at = append(at, pos+i)
		pos += i + len(s)
	}
}

// index returns where the first occurrence of s at or after pos starts,
// or -1.
func (d *Doc) index(pos int, s string) int {
	for lo := pos; lo < len(d.data); lo += scanChunk {
		hi := min(lo+scanChunk, len(d.data))
		i := bytes.Index(d.data[lo:min(hi+len(s)-1, len(d.data))], []byte(s))
		d.touched(int64(lo), int64(hi))
		if i >= 0 {
			return lo + i
		}
	}
	return -1
}

// lastIndex returns where the last occurrence of s that starts before end
// starts, or -1.
func (d *Doc) lastIndex(end int, s string) int {
	for hi := end; hi > 0; hi -= scanChunk {
		lo := max(0, hi-scanChunk)
		if i := bytes.LastIndex(d.data[lo:min(hi+len(s)-1, end)], []byte(s)); i >= 0 {
			return lo + i
		}
		d.touched(int64(lo), int64(hi))
	}
	return -1
}

// maxTrailers bounds the trailers lastTrailer tries, from the end.
const maxTrailers = 64

// lastTrailer returns the last trailer dictionary of the file that names a
// catalog, among the last maxTrailers.
func (d *Doc) lastTrailer() dict {
	for end, n := len(d.data), 0; end > 0 && n < maxTrailers; n++ {
		i := d.lastIndex(end, "trailer")
		if i < 0 {
			return nil
		}
		end = i
		l := &lexer{b: d.data, pos: i + len("trailer")}
		if t, err := l.object(0); err == nil {
			if t, ok := t.(dict); ok && t.has("Root") {
				return t
			}
		}
	}
	return nil
}

// addObjstms lists the objects of the given object streams, where the scan
// found no object of the same number outside a stream.
func (d *Doc) addObjstms(objstms []int) {
	for _, stm := range objstms {
		s, err := d.decodeObjstm(stm)
		if err != nil {
			continue
		}
		for idx, num := range s.nums {
			if num >= maxObjects || idx >= 1<<idxBits {
				continue
			}
			for num >= len(d.xref) {
				d.xref = append(d.xref, 0)
			}
			if entryKind(d.xref[num]) == unset {
				d.xref[num] = streamEntry(stm, idx)
			}
		}
	}
}
