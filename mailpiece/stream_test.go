package mailpiece

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/heappeak"
)

// pieceGen produces a sidecar index of n one-page pieces as it is read,
// never holding it whole. pad spaces of indentation go before each piece.
type pieceGen struct {
	format string
	n, pad int
	meta   bool
	i      int // pieces produced
	buf    []byte
	size   int64
	atEOF  func() // called once, when the whole index has been read
}

func (g *pieceGen) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		if !g.more() {
			if g.atEOF != nil {
				g.atEOF()
				g.atEOF = nil
			}
			return 0, io.EOF
		}
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	g.size += int64(n)
	return n, nil
}

// more puts the next part of the index in buf; false at the end.
func (g *pieceGen) more() bool {
	switch {
	case g.i == 0 && g.format == "json":
		g.buf = append(g.buf[:0], '[')
	case g.i == 0 && g.meta:
		g.buf = append(g.buf[:0], "first_page,pages,account\n"...)
	case g.i == 0:
		g.buf = append(g.buf[:0], "first_page,pages\n"...)
	case g.i <= g.n:
		g.buf = append(g.buf[:0], g.piece(g.i, strings.Repeat(" ", g.pad))...)
	case g.i == g.n+1 && g.format == "json":
		g.buf = append(g.buf[:0], "\n]\n"...)
	default:
		return false
	}
	g.i++
	return true
}

// piece is the text of piece i.
func (g *pieceGen) piece(i int, pad string) string {
	if g.format == "csv" {
		if g.meta {
			return fmt.Sprintf("%s%d,%s1,A%d\n", pad, i, pad, i%1000)
		}
		return fmt.Sprintf("%s%d,%s1\n", pad, i, pad)
	}
	sep := ","
	if i == 1 {
		sep = ""
	}
	meta := ""
	if g.meta {
		meta = fmt.Sprintf(`,%s"meta": {"account": "A%d"}`, pad, i%1000)
	}
	return fmt.Sprintf("%s\n%s{\"first_page\": %d,%s\"pages\": 1%s}", sep, pad, i, pad, meta)
}

// TestFromSidecarStreams checks that a sidecar index is decoded as it is
// read: when the last byte has been read, the live heap holds the compact
// pieces, a small part of the index's bytes, not the index itself.
func TestFromSidecarStreams(t *testing.T) {
	const n = 60_000
	for _, tc := range []struct {
		format string
		meta   bool
	}{{"json", false}, {"json", true}, {"csv", false}, {"csv", true}} {
		t.Run(fmt.Sprintf("%s meta %v", tc.format, tc.meta), func(t *testing.T) {
			var base, end runtime.MemStats
			g := &pieceGen{format: tc.format, n: n, pad: 40, meta: tc.meta}
			g.atEOF = func() { runtime.GC(); runtime.ReadMemStats(&end) }
			runtime.GC()
			runtime.ReadMemStats(&base)
			pieces, err := FromSidecar(g, tc.format, n, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(pieces) != n || pieces[n-1].FirstPage != n || tc.meta != (pieces[n-1].Meta.Get("account") != "") {
				t.Fatalf("%d pieces, the last %+v", len(pieces), pieces[len(pieces)-1])
			}
			live := int64(end.HeapAlloc) - int64(base.HeapAlloc)
			t.Logf("index of %d bytes; live heap after reading it: %d bytes (%.1f per piece)", g.size, live, float64(live)/n)
			if live > g.size/2 {
				t.Errorf("%d bytes live after reading an index of %d bytes: the index is held, not streamed", live, g.size)
			}
		})
	}
}

// BenchmarkFromSidecar8M decodes a generated JSON index of 8 million tiny
// pieces (past the 64 MiB limit, which is lifted here) from a temporary
// file, and reports the peak live heap besides the allocations.
func BenchmarkFromSidecar8M(b *testing.B) {
	const n = 8_000_000
	path := b.TempDir() + "/index.json"
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	g := &pieceGen{format: "json", n: n}
	if _, err := io.Copy(f, g); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		runtime.GC()
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		stop := heappeak.Start()
		pieces, err := fromSidecar(bufio.NewReader(f), "json", n, false, 1<<40)
		peak = max(peak, stop())
		f.Close()
		if err != nil || len(pieces) != n {
			b.Fatalf("%d pieces, %v", len(pieces), err)
		}
	}
	b.ReportMetric(float64(g.size), "index-B")
	b.ReportMetric(float64(peak), "peak-heap-B")
}
