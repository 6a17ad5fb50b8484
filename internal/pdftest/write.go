package pdftest

import (
	"fmt"
	"io"
	"strings"
)

// Object numbers: 1 is the catalog, 2 the shared font, then each page and
// its content stream, then the page tree nodes, then the outline, the logo
// and the document part tree, as the options ask for them.
const (
	catalogObj = 1
	fontObj    = 2
	firstPage  = 3
	maxKids    = 10 // kids per node of a balanced page tree
)

func pageObj(k int) int    { return firstPage + 2*k }
func contentObj(k int) int { return firstPage + 2*k + 1 }

// layout holds the object numbers of a run's optional parts; 0 means absent.
type layout struct {
	nodes   []treeNode  // page tree nodes, root last
	parent  map[int]int // parent node of every page and node
	outline int         // the outline dictionary; its items follow it
	logo    int         // the logo image
	dpart   dpartLayout
	objects int // the highest object number
}

func newLayout(o Options) layout {
	n := o.PageCount()
	var l layout
	var next int
	l.nodes, l.parent, next = pageTree(n, o.Balanced, pageObj(n))
	if o.Bookmarks {
		l.outline = next
		next += 1 + len(o.Pieces)
	}
	if o.Logo {
		l.logo = next
		next++
	}
	if o.DPart {
		l.dpart, next = newDPartLayout(len(o.Pieces), o.Balanced, next)
	}
	l.objects = next - 1
	return l
}

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
	l := newLayout(o)
	root := l.nodes[len(l.nodes)-1].num
	ow := newObjWriter(w, l.objects)
	ow.put(catalogObj, catalogBody(o, l, root))
	ow.put(fontObj, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	writePages(ow, o, l)
	for _, node := range l.nodes {
		ow.put(node.num, nodeBody(o, node, l.parent, node.num == root, l.logo))
	}
	if l.outline != 0 {
		writeOutline(ow, o, l.outline)
	}
	if l.logo != 0 {
		ow.put(l.logo, logoBody())
	}
	if o.DPart {
		writeDParts(ow, o, l.dpart)
	}
	return ow.finish(catalogObj)
}

func catalogBody(o Options, l layout, root int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<< /Type /Catalog /Pages %d 0 R", root)
	if l.outline != 0 {
		fmt.Fprintf(&b, " /Outlines %d 0 R /PageMode /UseOutlines", l.outline)
	}
	if o.DPart {
		fmt.Fprintf(&b, " /DPartRoot %d 0 R", l.dpart.root)
	}
	if o.PageLabels {
		b.WriteString(" /PageLabels << /Nums [")
		first := 0
		for i, pages := range o.Pieces {
			fmt.Fprintf(&b, " %d << /S /D /P %s >>", first, Text(Account(i)+" p."))
			first += pages
		}
		b.WriteString(" ] >>")
	}
	b.WriteString(" >>")
	return b.String()
}

const mediaBox = "/MediaBox [0 0 595 842]"

// resources is the resource dictionary of every page.
func resources(logo int) string {
	if logo == 0 {
		return fmt.Sprintf("/Resources << /Font << /F1 %d 0 R >> >>", fontObj)
	}
	return fmt.Sprintf("/Resources << /Font << /F1 %d 0 R >> /XObject << /Logo %d 0 R >> >>", fontObj, logo)
}

// writePages writes every page and its content stream.
func writePages(ow *objWriter, o Options, l layout) {
	k := 0
	for i, pages := range o.Pieces {
		for j := range pages {
			page := fmt.Sprintf("<< /Type /Page /Parent %d 0 R /Contents %d 0 R", l.parent[pageObj(k)], contentObj(k))
			if !o.Inherit {
				page += " " + mediaBox + " " + resources(l.logo)
			}
			if o.DPart {
				page += fmt.Sprintf(" /DPart %d 0 R", l.dpart.records[i])
			}
			ow.put(pageObj(k), page+" >>")
			content := fmt.Sprintf("BT\n/F1 24 Tf\n72 720 Td\n%s Tj\nET", Text(PageText(i, j)))
			if l.logo != 0 {
				content = logoDraw + content
			}
			ow.put(contentObj(k), Stream(content))
			k++
		}
	}
}

func nodeBody(o Options, node treeNode, parent map[int]int, root bool, logo int) string {
	var b strings.Builder
	b.WriteString("<< /Type /Pages")
	if p, ok := parent[node.num]; ok {
		fmt.Fprintf(&b, " /Parent %d 0 R", p)
	}
	if root && o.Inherit {
		b.WriteString(" " + mediaBox + " " + resources(logo))
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
