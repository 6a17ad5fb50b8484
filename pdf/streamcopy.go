package pdf

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// copyFromFile writes n bytes of the input file at off: copied by the
// kernel from file to file if the output is a file (copy_file_range, as
// cp does), else read straight into the output's buffer. A failure sticks
// in w.err.
func (w *writer) copyFromFile(off, n int64) {
	if w.out != nil && !w.noCopyRange {
		off, n = w.copyRange(off, n)
	}
	for n > 0 && w.err == nil {
		if w.w.Available() == 0 {
			if err := w.w.Flush(); err != nil {
				w.err = err
				return
			}
		}
		buf := w.w.AvailableBuffer()
		buf = buf[:min(int64(cap(buf)), n)]
		if !w.readFile(buf, off) {
			return
		}
		w.writeOnly(buf) // buf is the bufio.Writer's own: it must not become w.buf
		off, n = off+int64(len(buf)), n-int64(len(buf))
	}
}

// copyRange copies what it can of n bytes of the input file at off to the
// output file with copy_file_range, and returns what is left to copy. A
// file system or kernel that cannot turn it off for the rest of the
// output.
func (w *writer) copyRange(off, n int64) (int64, int64) {
	if err := w.w.Flush(); err != nil {
		w.err = err
		return off, n
	}
	in, out := int(w.d.mapped.file.Fd()), int(w.out.Fd())
	for n > 0 {
		k, err := unix.CopyFileRange(in, &off, out, nil, int(min(n, 1<<30)), 0) // advances off
		if err != nil {
			w.noCopyRange = true // EXDEV, EINVAL, ENOSYS, EOPNOTSUPP...: by reading and writing
			return off, n
		}
		if k == 0 {
			w.err = fmt.Errorf("%w: reading %d bytes at offset %d: the file shrank while being read", ErrDamaged, n, off)
			return off, n
		}
		w.off += int64(k)
		n -= int64(k)
	}
	return off, n
}

// encryptedLen is the length of n bytes encrypted as encrypter.encrypt
// does: an IV, and the data padded to whole blocks.
func encryptedLen(n int64) int64 {
	return aes.BlockSize + n + aes.BlockSize - n%aes.BlockSize
}

// encryptChunk is the part of a stream encryptFromFile reads at a time,
// a multiple of the block size.
const encryptChunk = 64 << 10

// encryptFromFile writes n bytes of the input file at off encrypted as
// encrypter.encrypt would, reading and encrypting them a chunk at a time.
func (w *writer) encryptFromFile(off, n int64) {
	block, _ := aes.NewCipher(w.enc.key) // a 32-byte key is always valid
	iv := randomBytes(aes.BlockSize)
	w.writeOnly(iv)
	mode := cipher.NewCBCEncrypter(block, iv)
	buf := make([]byte, encryptChunk+aes.BlockSize)
	for w.err == nil {
		chunk := buf[:min(encryptChunk, n)]
		if !w.readFile(chunk, off) {
			return
		}
		off, n = off+int64(len(chunk)), n-int64(len(chunk))
		if n == 0 { // the last chunk, padded
			pad := aes.BlockSize - len(chunk)%aes.BlockSize
			for range pad {
				chunk = append(chunk, byte(pad))
			}
		}
		mode.CryptBlocks(chunk, chunk)
		w.writeOnly(chunk)
		if n == 0 {
			return
		}
	}
}

// readFile fills buf from the input file at off. A failure sticks in
// w.err.
func (w *writer) readFile(buf []byte, off int64) bool {
	k, err := w.d.mapped.file.ReadAt(buf, off)
	if k < len(buf) {
		w.err = fmt.Errorf("%w: reading %d bytes at offset %d: the file shrank while being read (%v)", ErrDamaged, len(buf), off, err)
		return false
	}
	return true
}

// writeOnly writes b, which w.buf must not reuse.
func (w *writer) writeOnly(b []byte) {
	n, _ := w.w.Write(b) // the error sticks in the bufio.Writer
	w.off += int64(n)
}

// copyAll writes the whole of a mapped input file to w: by the kernel if w
// is a file, else through a buffer.
func (d *Doc) copyAll(w io.Writer) error {
	off, n := int64(0), int64(len(d.data))
	if out, ok := w.(*os.File); ok {
		in := int(d.mapped.file.Fd())
		for n > 0 {
			k, err := unix.CopyFileRange(in, &off, int(out.Fd()), nil, int(min(n, 1<<30)), 0)
			if err != nil || k == 0 {
				break // by reading and writing, which tells a file cut short
			}
			n -= int64(k)
		}
	}
	k, err := io.CopyBuffer(struct{ io.Writer }{w}, io.NewSectionReader(d.mapped.file, off, n), make([]byte, 1<<20))
	if err == nil && k < n {
		err = fmt.Errorf("%w: the file shrank while being read", ErrDamaged)
	}
	return err
}
