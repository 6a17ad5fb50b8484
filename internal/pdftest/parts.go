package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// The logo: a grey image of logoW x logoH pixels, drawn at the top right of
// every page. Its pixels are noisy, so that it does not compress to nothing
// and a copy of it shows in the size of a file.
const (
	logoW    = 96
	logoH    = 48
	logoDraw = "q 96 0 0 48 460 770 cm /Logo Do Q\n"
)

// logoBody returns the logo's image XObject, FlateDecode-compressed.
func logoBody() string {
	pix := make([]byte, logoW*logoH)
	seed := uint32(2463534242)
	for y := range logoH {
		for x := range logoW {
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			dx, dy := x-logoW/2, 2*(y-logoH/2)
			v := byte(200 + seed%48)
			if r := dx*dx + dy*dy; r > 300 && r < 500 {
				v = byte(seed % 64) // a dark ring
			}
			pix[y*logoW+x] = v
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(pix) // a bytes.Buffer does not fail
	zw.Close()
	return fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "+
		"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
		logoW, logoH, z.Len(), z.String())
}

// dpartChunk is the length of the inner arrays of /DParts.
const dpartChunk = 8

// dpartLayout numbers the objects of a document part tree.
type dpartLayout struct {
	root    int   // the /DPartRoot dictionary
	node    int   // the root node
	groups  []int // the group nodes between root and records; none if flat
	records []int // one record per piece
}

// newDPartLayout numbers the document part tree for the given number of
// pieces from next on, and returns the next free number.
func newDPartLayout(pieces int, balanced bool, next int) (dpartLayout, int) {
	l := dpartLayout{root: next, node: next + 1}
	next += 2
	if balanced {
		for range (pieces + maxKids - 1) / maxKids {
			l.groups = append(l.groups, next)
			next++
		}
	}
	for range pieces {
		l.records = append(l.records, next)
		next++
	}
	return l, next
}

// writeDParts writes the document part tree of the run o.
func writeDParts(ow *objWriter, o Options, l dpartLayout) {
	names, level := "/Job /Record", 1
	top := l.records
	if len(l.groups) > 0 {
		names, level, top = "/Job /Group /Record", 2, l.groups
	}
	ow.put(l.root, fmt.Sprintf("<< /Type /DPartRoot /DPartRootNode %d 0 R /RecordLevel %d /NodeNameList [%s] >>",
		l.node, level, names))
	ow.put(l.node, "<< /Type /DPart /DParts "+dpartKids(top)+" >>")
	for g, num := range l.groups {
		kids := l.records[g*maxKids : min((g+1)*maxKids, len(l.records))]
		ow.put(num, fmt.Sprintf("<< /Type /DPart /Parent %d 0 R /DParts %s /DPM << /group (G%d) >> >>",
			l.node, dpartKids(kids), g+1))
	}
	first := 0
	for i, pages := range o.Pieces {
		parent := l.node
		if len(l.groups) > 0 {
			parent = l.groups[i/maxKids]
		}
		rec := fmt.Sprintf("<< /Type /DPart /Parent %d 0 R /Start %d 0 R", parent, pageObj(first))
		if pages > 1 {
			rec += fmt.Sprintf(" /End %d 0 R", pageObj(first+pages-1))
		}
		ow.put(l.records[i], rec+fmt.Sprintf(" /DPM << /account %s /postal_code %s >> >>",
			Text(Account(i)), Text(PostalCode(i))))
		first += pages
	}
}

// dpartKids returns a /DParts array of arrays holding the given nodes.
func dpartKids(nums []int) string {
	var b strings.Builder
	b.WriteString("[")
	for start := 0; start < len(nums); start += dpartChunk {
		b.WriteString(" [")
		for _, num := range nums[start:min(start+dpartChunk, len(nums))] {
			fmt.Fprintf(&b, " %d 0 R", num)
		}
		b.WriteString(" ]")
	}
	b.WriteString(" ]")
	return b.String()
}
