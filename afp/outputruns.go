package afp

import (
	"fmt"
	"io"
)

// runBlock is the size of the blocks runs reads a piece in: many fields,
// and more than the largest field with the most filler before it.
const runBlock = 1 << 20

// runs copies a piece of an input without framing as walk does, reading it
// in large blocks and hopping from field to field by their lengths: the
// bytes between two places where fields are added are written as one run,
// with no field decoded but those that place pages on sheets. Filler after
// the piece's last field is dropped, as walk drops it.
func (o *output) runs(p *Piece, imm *Field) error {
	pw := pageWalk{o: o, p: p, imm: imm}
	pw.perSheet, pw.perSide = o.layout(p.StartMap())
	b := &o.blocks
	i := b.reset(o.src, p.Span)
	run, last := i, i // the first byte not written; the end of the last field
	filler := 0       // filler bytes since the last field
	for {
		if b.lim()-i < minScanBuf && !b.atEnd() {
			o.bw.Write(b.buf[run:last])
			if err := b.more(last); err != nil {
				return err
			}
			i, run, last = i-last, 0, 0
		}
		if i == b.lim() {
			break
		}
		if b.buf[i] != 0x5A {
			n := fillerStep(b.buf[i:min(i+7, b.lim())])
			switch {
			case n < 0:
				return formatErr(ErrSyntax, b.off+int64(i), "", "garbage: byte 0x%02X where a structured field (0x5A) should begin", b.buf[i])
			case filler+n > maxFiller:
				return formatErr(ErrSyntax, b.off+int64(i), "", "more than %d bytes of filler", maxFiller)
			}
			i += n
			filler += n
			continue
		}
		size, data, err := b.field(i)
		if err != nil {
			return err
		}
		if added := pw.step(be24(b.buf[i+3:]), data); len(added) > 0 {
			enc, err := o.encodeAdded(added)
			if err != nil {
				return err
			}
			o.bw.Write(b.buf[run:i])
			o.bw.Write(enc)
			run = i
		}
		i += size
		last, filler = i, 0
	}
	_, err := o.bw.Write(b.buf[run:last])
	return err
}

// blockReader reads the spans of pieces in blocks. Pieces taken in input
// order are read in whole blocks, many pieces a read; pieces in another
// order each up to their end.
type blockReader struct {
	src        io.ReaderAt
	buf        []byte
	off        int64 // the input offset of buf[0]
	n          int   // bytes read into buf
	end        int64 // the span's end
	sequential bool  // the span follows the one before
}

// reset starts the span s and returns the index in buf of its first
// byte; 0 with nothing read, unless buf holds it already.
func (b *blockReader) reset(src io.ReaderAt, s Span) int {
	if b.buf == nil {
		b.buf = make([]byte, runBlock)
	}
	b.sequential = b.n > 0 && s.Offset == b.end // src is the output's, the same for every span
	if b.sequential && s.Offset >= b.off && s.Offset <= b.off+int64(b.n) {
		b.end = s.End()
		return int(s.Offset - b.off)
	}
	b.src, b.off, b.n, b.end = src, s.Offset, 0, s.End()
	return 0
}

// lim is the index in buf where the span or what was read of it ends.
func (b *blockReader) lim() int { return int(min(int64(b.n), b.end-b.off)) }

// atEnd reports whether buf holds the rest of the span.
func (b *blockReader) atEnd() bool { return b.off+int64(b.n) >= b.end }

// more keeps buf[from:n], moved to the front, and reads what follows: a
// whole block when the spans are read in input order, else up to the
// span's end at most.
func (b *blockReader) more(from int) error {
	b.n = copy(b.buf, b.buf[from:b.n])
	b.off += int64(from)
	at := b.off + int64(b.n)
	need := int(min(int64(len(b.buf)-b.n), b.end-at))
	want := need
	if b.sequential {
		want = len(b.buf) - b.n
	}
	got, err := b.src.ReadAt(b.buf[b.n:b.n+want], at)
	b.n += got
	switch {
	case got >= need:
		return nil
	case err == nil || err == io.EOF:
		return formatErr(ErrTruncated, at+int64(got), "", "input ends inside bytes %d–%d of the index", at, b.end)
	}
	return fmt.Errorf("afp: read at offset %d: %w", at+int64(got), err)
}

// field checks the field whose 0x5A is at buf[i] and returns its size
// (from the 0x5A on) and its data.
func (b *blockReader) field(i int) (int, []byte, error) {
	off := b.off + int64(i)
	if b.lim()-i < introducerLen {
		return 0, nil, formatErr(ErrTruncated, off, "", "input ends inside a field introducer (%d of %d bytes)", b.lim()-i, introducerLen)
	}
	length := int(be16(b.buf[i+1:]))
	name := func() string { return IDName(be24(b.buf[i+3:])) }
	switch {
	case length < introducerLen-1:
		return 0, nil, formatErr(ErrLength, off, name(), "length %d below 8", length)
	case b.lim()-i < 1+length:
		return 0, nil, formatErr(ErrTruncated, off, name(), "length %d runs past the end of the input (only %d bytes follow)", length, b.lim()-i-1)
	}
	raw := b.buf[i : i+1+length]
	flags := raw[6]
	if flags&(FlagExt|FlagPad) == 0 {
		return len(raw), raw[introducerLen:], nil
	}
	_, data, _, detail := splitBody(raw, flags)
	if detail != "" {
		return 0, nil, formatErr(ErrField, off, name(), "%s", detail)
	}
	return len(raw), data, nil
}
