// Command walk is the floor for indexing an AFP print file: it reads the
// file in large blocks and hops from structured field to structured field
// by the length in each introducer, counting them, and does nothing else.
// The index benchmarks (bench/afp/run.sh) time it beside omsctl inspect and
// omsd process: an index is per field, so this walk, not cat, is the honest
// reference on files with many small fields.
//
//	walk FILE...
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: walk FILE...")
		os.Exit(2)
	}
	for _, name := range os.Args[1:] {
		fields, bytes, err := walk(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "walk:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d fields, %d bytes\n", name, fields, bytes)
	}
}

// walk counts the structured fields of the file: each starts with 0x5A and
// a two-byte big-endian length that counts every byte after the 0x5A. It
// reads 1 MiB blocks at the offset of the next field it has not hopped over.
func walk(name string) (fields, size int64, err error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	var off int64 // offset of the next field
	for {
		n, rerr := f.ReadAt(buf, off)
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return fields, off, rerr
		}
		base := off
		for i := 0; i+3 <= n; i = int(off - base) {
			if buf[i] != 0x5A {
				return fields, off, fmt.Errorf("%s: offset %d: no structured field (0x%02X)", name, off, buf[i])
			}
			off += 1 + (int64(buf[i+1])<<8 | int64(buf[i+2]))
			fields++
		}
		if off == base { // fewer than an introducer's bytes left
			return fields, off + int64(n), nil
		}
	}
}
