package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
)

// minFlate is the smallest content worth compressing: below it the
// filter's entry and zlib's header and checksum cost more than they save.
const minFlate = 64

// flater compresses streams for one output, reusing its compressor: a
// zlib writer holds several hundred KB of state.
type flater struct {
	zw  *zlib.Writer
	buf bytes.Buffer
}

// stream is a stream of data, Flate-compressed when that makes it
// smaller. Compression is deterministic: the same data gives the same
// bytes.
func (f *flater) stream(d dict, data []byte) *stream {
	if len(data) < minFlate {
		return &stream{dict: d, data: data}
	}
	f.buf.Reset()
	if f.zw == nil {
		f.zw, _ = zlib.NewWriterLevel(&f.buf, zlib.DefaultCompression) // the level is valid
	} else {
		f.zw.Reset(&f.buf)
	}
	f.zw.Write(data) // a bytes.Buffer does not fail
	f.zw.Close()
	if f.buf.Len() >= len(data) {
		return &stream{dict: d, data: data}
	}
	return &stream{dict: append(d, pair{"Filter", name("FlateDecode")}), data: bytes.Clone(f.buf.Bytes())}
}

// contentObject returns the object of a hook's content stream: one per
// distinct content in the output, written at its first use, so that pages
// with the same marks (an OMR code that repeats) share it.
func (w *writer) contentObject(content []byte) int32 {
	key := sha256.Sum256(content)
	if n, ok := w.shared[key]; ok {
		return n
	}
	n := w.alloc()
	w.put(n, w.flate.stream(nil, content))
	if w.shared == nil {
		w.shared = map[[32]byte]int32{}
	}
	w.shared[key] = n
	return n
}
