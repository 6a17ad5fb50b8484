package pdftest

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

// header starts every file: the version line and a comment of four bytes
// above 127, which marks the file as binary for transfer programs.
const header = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"

// objWriter writes numbered indirect objects in any order and remembers
// where each one starts, for the cross-reference table.
type objWriter struct {
	w       *bufio.Writer
	off     int64
	offsets []int64 // offsets[n] is where object n starts; 0: not written
	err     error
}

func newObjWriter(w io.Writer, objects int) *objWriter {
	ow := &objWriter{w: bufio.NewWriterSize(w, 64<<10), offsets: make([]int64, objects+1)}
	ow.raw(header)
	return ow
}

// raw writes s and keeps the first write error.
func (ow *objWriter) raw(s string) {
	if ow.err != nil {
		return
	}
	n, err := ow.w.WriteString(s)
	ow.off += int64(n)
	ow.err = err
}

// put writes object num with the given body (a dictionary, or a dictionary
// followed by a stream).
func (ow *objWriter) put(num int, body string) {
	if num < 1 || num >= len(ow.offsets) {
		ow.err = fmt.Errorf("pdftest: object %d outside 1..%d", num, len(ow.offsets)-1)
		return
	}
	if ow.err == nil {
		ow.offsets[num] = ow.off
	}
	ow.raw(fmt.Sprintf("%d 0 obj\n%s\nendobj\n", num, body))
}

// finish writes the cross-reference table and the trailer naming root as
// the catalog, and flushes.
func (ow *objWriter) finish(root int) error {
	for num := 1; num < len(ow.offsets) && ow.err == nil; num++ {
		if ow.offsets[num] == 0 {
			return fmt.Errorf("pdftest: object %d was never written", num)
		}
	}
	xref := ow.off
	ow.raw(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", len(ow.offsets)))
	for _, off := range ow.offsets[1:] {
		ow.raw(fmt.Sprintf("%010d 00000 n \n", off))
	}
	ow.raw(fmt.Sprintf("trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(ow.offsets), root, xref))
	if ow.err != nil {
		return fmt.Errorf("pdftest: write: %w", ow.err)
	}
	if err := ow.w.Flush(); err != nil {
		return fmt.Errorf("pdftest: write: %w", err)
	}
	return nil
}

// WriteObjects writes a PDF 1.4 file made of the given object bodies:
// objs[0] becomes object 1, which must be the catalog, objs[1] object 2, and
// so on. Bodies refer to each other as "N 0 R". Tests use it to build files
// with unusual structure (named destinations, broken outlines) by hand.
func WriteObjects(w io.Writer, objs []string) error {
	ow := newObjWriter(w, len(objs))
	for i, body := range objs {
		ow.put(i+1, body)
	}
	return ow.finish(1)
}

// Stream returns the body of a stream object holding data, with its /Length.
func Stream(data string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data)
}

// Text returns s as a PDF string: a literal string if s is printable ASCII,
// otherwise a hexadecimal string in UTF-16BE with a byte order mark.
func Text(s string) string {
	ascii := true
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return "(" + r.Replace(s) + ")"
	}
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}
