package afp

import (
	"io"
	"sync/atomic"
)

// asyncChunk is the chunk a large output is written in by a goroutine of
// its own, and asyncChunks how many there are: one filling, the others
// queued or being written.
const (
	asyncChunk  = 1 << 20
	asyncChunks = 4
)

// outWriter buffers an output. A large one is written in chunks by a
// goroutine of its own while the next chunk fills: the kernel's copy into
// the destination runs beside the walk through the input. Errors are
// sticky; Close writes what is left and stops the goroutine.
type outWriter struct {
	w     io.Writer
	buf   []byte // the chunk filling
	n     int64  // bytes taken so far
	err   error
	full  chan []byte // chunks to write; nil when writing in the caller
	free  chan []byte
	done  chan struct{}
	wrErr atomic.Pointer[error] // the goroutine's first write error
}

// newOutWriter buffers size bytes, or writes in chunks from a goroutine
// when the output is at least asyncChunk bytes (size is outBufSize).
func newOutWriter(w io.Writer, size int) *outWriter {
	if size < outBufSize {
		return &outWriter{w: w, buf: make([]byte, 0, size)}
	}
	o := &outWriter{w: w, buf: make([]byte, 0, asyncChunk),
		full: make(chan []byte, asyncChunks), free: make(chan []byte, asyncChunks), done: make(chan struct{})}
	for range asyncChunks - 1 {
		o.free <- make([]byte, 0, asyncChunk)
	}
	go o.writeChunks()
	return o
}

// writeChunks writes the full chunks until the channel closes; after an
// error it only hands them back.
func (o *outWriter) writeChunks() {
	defer close(o.done)
	for b := range o.full {
		if o.wrErr.Load() == nil {
			if _, err := o.w.Write(b); err != nil {
				o.wrErr.Store(&err)
			}
		}
		o.free <- b[:0]
	}
}

// Write takes p; the error is the first of the output so far.
func (o *outWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && o.err == nil {
		if len(o.buf) == cap(o.buf) {
			o.flushChunk()
			continue
		}
		k := copy(o.buf[len(o.buf):cap(o.buf)], p)
		o.buf = o.buf[:len(o.buf)+k]
		p = p[k:]
	}
	o.n += int64(n - len(p))
	return n - len(p), o.err
}

// ReadFrom reads r to its end into the output, as bufio.Writer does.
func (o *outWriter) ReadFrom(r io.Reader) (int64, error) {
	var n int64
	for o.err == nil {
		if len(o.buf) == cap(o.buf) {
			o.flushChunk()
			continue
		}
		m, err := r.Read(o.buf[len(o.buf):cap(o.buf)])
		o.buf = o.buf[:len(o.buf)+m]
		n += int64(m)
		o.n += int64(m)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, o.err
}

// flushChunk writes the chunk filled, or hands it to the goroutine and
// takes a free one.
func (o *outWriter) flushChunk() {
	if len(o.buf) == 0 || o.err != nil {
		return
	}
	if o.full == nil {
		_, o.err = o.w.Write(o.buf)
		o.buf = o.buf[:0]
		return
	}
	if p := o.wrErr.Load(); p != nil {
		o.err = *p
		return
	}
	o.full <- o.buf
	o.buf = <-o.free
}

// Close writes what is left, unless the output failed, waits for the
// goroutine and returns the output's first error.
func (o *outWriter) Close(failed bool) error {
	if !failed {
		o.flushChunk()
	}
	if o.full != nil {
		close(o.full)
		<-o.done
		if p := o.wrErr.Load(); p != nil && o.err == nil {
			o.err = *p
		}
	}
	return o.err
}
