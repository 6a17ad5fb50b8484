package pdftest

import (
	"fmt"
	"io"
	"strings"
)

// Object numbers: 1 is the catalog, 2 the shared font, then each page and
// its content stream, then the page tree nodes, then the outline.
const (
	catalogObj = 1
	fontObj    = 2
	firstPage  = 3
	maxKids    = 10 // kids per node of a balanced page tree
)

func pageObj(k int) int    { return firstPage + 2*k }
func contentObj(k int) int { return firstPage + 2*k + 1 }

// treeNode is an intermediate node (/Type /Pages) of the page tree.
type treeNode struct {
	num   int
	kids  []int // object numbers
	count int   // pages below
}

// pageTree lays out the page tree for n pages whose objects are numbered
// from pageObj(0), taking object numbers from next on. It returns the nodes
// (root last), the parent of every page and of every node, and the next free
// object number.
func pageTree(n int, balanced bool, next int) (nodes []treeNode, parent map[int]int, free int) {
	parent = make(map[int]int, n+n/maxKids+1)
	level := make([]treeNode, n) // leaves, as one-page pseudo nodes
	for k := range level {
		level[k] = treeNode{num: pageObj(k), count: 1}
	}
	for {
		width := len(level)
		if balanced {
			width = maxKids
		}
		var up []treeNode
		for start := 0; start < len(level); start += width {
			end := min(start+width, len(level))
			node := treeNode{num: next}
			next++
			for _, kid := range level[start:end] {
				node.kids = append(node.kids, kid.num)
				node.count += kid.count
				parent[kid.num] = node.num
			}
			up = append(up, node)
		}
		nodes = append(nodes, up...)
		if len(up) == 1 {
			return nodes, parent, next
		}
		level = up
	}
}

// Write writes the PDF 1.4 run described by o to w.
func Write(w io.Writer, o Options) error {
	if err := o.check(); err != nil {
		return err
	}
	n := o.PageCount()
	nodes, parent, next := pageTree(n, o.Balanced, pageObj(n))
	root := nodes[len(nodes)-1].num
	outline, objects := 0, next-1
	if o.Bookmarks {
		outline = next
		objects = next + len(o.Pieces)
	}

	ow := newObjWriter(w, objects)
	catalog := fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R", root)
	if outline != 0 {
		catalog += fmt.Sprintf(" /Outlines %d 0 R /PageMode /UseOutlines", outline)
	}
	ow.put(catalogObj, catalog+" >>")
	ow.put(fontObj, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	writePages(ow, o, parent)
	for _, node := range nodes {
		ow.put(node.num, nodeBody(node, parent))
	}
	if outline != 0 {
		writeOutline(ow, o, outline)
	}
	return ow.finish(catalogObj)
}

// writePages writes every page and its content stream.
func writePages(ow *objWriter, o Options, parent map[int]int) {
	k := 0
	for i, pages := range o.Pieces {
		for j := range pages {
			ow.put(pageObj(k), fmt.Sprintf(
				"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "+
					"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>",
				parent[pageObj(k)], fontObj, contentObj(k)))
			ow.put(contentObj(k), Stream(fmt.Sprintf(
				"BT\n/F1 24 Tf\n72 720 Td\n%s Tj\nET", Text(PageText(i, j)))))
			k++
		}
	}
}

func nodeBody(node treeNode, parent map[int]int) string {
	var b strings.Builder
	b.WriteString("<< /Type /Pages")
	if p, ok := parent[node.num]; ok {
		fmt.Fprintf(&b, " /Parent %d 0 R", p)
	}
	b.WriteString(" /Kids [")
	for i, kid := range node.kids {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d 0 R", kid)
	}
	fmt.Fprintf(&b, "] /Count %d >>", node.count)
	return b.String()
}

// writeOutline writes the outline dictionary as object num and one item per
// piece after it.
func writeOutline(ow *objWriter, o Options, num int) {
	items := len(o.Pieces)
	ow.put(num, fmt.Sprintf("<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>",
		num+1, num+items, items))
	first := 0 // 0-based index of the piece's first page
	for i, pages := range o.Pieces {
		item := fmt.Sprintf("<< /Title %s /Parent %d 0 R /Dest [%d 0 R /Fit]",
			Text(o.title(i)), num, pageObj(first))
		if i > 0 {
			item += fmt.Sprintf(" /Prev %d 0 R", num+i)
		}
		if i < items-1 {
			item += fmt.Sprintf(" /Next %d 0 R", num+i+2)
		}
		ow.put(num+1+i, item+" >>")
		first += pages
	}
}
