package lpd

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// streamFrom is the length from which a data file is read until the
// connection closes (as is one of length 0): CUPS's lpd backend announces
// 999999999999 in its stream mode, LPRng treats lengths from 2^40 so.
const streamFrom = 999_999_999_999

// parseCount reads a subcommand's operands "COUNT SP NAME"; stream is set
// for a count of 0 or at least streamFrom.
func parseCount(args string) (n int64, name string, stream bool, err error) {
	count, name, _ := strings.Cut(args, " ")
	u, perr := strconv.ParseUint(count, 10, 64)
	if perr != nil {
		return 0, "", false, fmt.Errorf("%w: length %q is not a number", ErrProtocol, count)
	}
	if u == 0 || u >= streamFrom {
		return 0, name, true, nil
	}
	return int64(u), name, false, nil
}

// fileBody is a file of a known length and the zero octet after it: it
// returns io.EOF only after that zero arrived, so nothing is made of a
// file whose end did not.
type fileBody struct {
	r    *bufio.Reader
	left int64
	done bool
}

func (b *fileBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		if !b.done {
			c, err := b.r.ReadByte()
			if err == io.EOF {
				return 0, io.ErrUnexpectedEOF
			}
			if err != nil {
				return 0, err
			}
			if c != 0 {
				return 0, fmt.Errorf("%w: the file is not followed by a zero octet", ErrProtocol)
			}
			b.done = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if err == io.EOF {
		if b.left > 0 {
			return n, io.ErrUnexpectedEOF
		}
		err = nil
	}
	return n, err
}

// streamBody is a file read until the connection closes, at most left
// bytes.
type streamBody struct {
	r    *bufio.Reader
	left int64
}

func (b *streamBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return 0, ErrTooLarge
	}
	return n, err
}
