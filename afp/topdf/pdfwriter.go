package topdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"strconv"
)

// pdfWriter writes a PDF front to back: each object as soon as it is
// complete, so that memory does not grow with the pages. Objects may be
// referenced before they are written by reserving their number.
type pdfWriter struct {
	w       *bufio.Writer
	off     int64
	offsets []int64 // object number -> offset; [0] unused, -1 not yet written
	err     error
	zbuf    bytes.Buffer
	zw      *zlib.Writer
}

func newPDFWriter(w io.Writer) *pdfWriter {
	p := &pdfWriter{w: bufio.NewWriterSize(w, 256<<10), offsets: []int64{0}}
	p.zw, _ = zlib.NewWriterLevel(&p.zbuf, zlib.BestSpeed)
	p.writeString("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
	return p
}

func (p *pdfWriter) write(b []byte) {
	if p.err != nil {
		return
	}
	n, err := p.w.Write(b)
	p.off += int64(n)
	p.err = err
}

func (p *pdfWriter) writeString(s string) {
	if p.err != nil {
		return
	}
	n, err := p.w.WriteString(s)
	p.off += int64(n)
	p.err = err
}

// reserve allocates an object number.
func (p *pdfWriter) reserve() int {
	p.offsets = append(p.offsets, -1)
	return len(p.offsets) - 1
}

// object writes object num with the body given.
func (p *pdfWriter) object(num int, body string) {
	p.offsets[num] = p.off
	p.writeString(strconv.Itoa(num) + " 0 obj\n")
	p.writeString(body)
	p.writeString("\nendobj\n")
}

// stream writes object num as a stream with dictionary entries dict (without
// the brackets and /Length), deflated unless raw is set (data already
// encoded, its /Filter in dict).
func (p *pdfWriter) stream(num int, dict string, data []byte, raw bool) {
	if !raw && len(data) > 64 {
		p.zbuf.Reset()
		p.zw.Reset(&p.zbuf)
		p.zw.Write(data)
		p.zw.Close()
		data = p.zbuf.Bytes()
		dict += "/Filter/FlateDecode"
	}
	p.offsets[num] = p.off
	p.writeString(fmt.Sprintf("%d 0 obj\n<<%s/Length %d>>\nstream\n", num, dict, len(data)))
	p.write(data)
	p.writeString("\nendstream\nendobj\n")
}

// finish writes the cross-reference table and trailer.
func (p *pdfWriter) finish(root, info int) error {
	xref := p.off
	var b bytes.Buffer
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(p.offsets))
	for _, o := range p.offsets[1:] {
		if o < 0 {
			return fmt.Errorf("topdf: internal error: object reserved but not written")
		}
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root %d 0 R", len(p.offsets), root)
	if info > 0 {
		fmt.Fprintf(&b, "/Info %d 0 R", info)
	}
	fmt.Fprintf(&b, ">>\nstartxref\n%d\n%%%%EOF\n", xref)
	p.write(b.Bytes())
	if p.err != nil {
		return p.err
	}
	return p.w.Flush()
}

// pdfString is a PDF literal string of s in UTF-16BE (text strings).
func pdfText(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, r := range s {
		if r > 0xFFFF {
			r = 0xFFFD
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteString(">")
	return b.String()
}

// num formats a coordinate with at most 3 decimals.
func num(v float64) string { return string(appendNum(nil, v)) }

// appendNum appends v with at most 3 decimals, trailing zeros dropped.
func appendNum(dst []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e12 {
		return append(dst, '0')
	}
	n := int64(math.Round(v * 1000))
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	dst = strconv.AppendInt(dst, n/1000, 10)
	if f := n % 1000; f != 0 {
		d := [4]byte{'.', byte('0' + f/100), byte('0' + f/10%10), byte('0' + f%10)}
		k := 4
		for d[k-1] == '0' {
			k--
		}
		dst = append(dst, d[:k]...)
	}
	return dst
}
