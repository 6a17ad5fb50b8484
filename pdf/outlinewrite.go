package pdf

import (
	"cmp"
	"slices"
)

// outline lays out the output's outline: the input's entries whose pages
// are in the output, at their pages' first copies, ordered by where those
// pages land. An entry whose page is not in the output gives way to its
// kids that are. It returns the object number of the /Outlines dictionary,
// or 0 when no entry is left, and writes the entries.
func (w *writer) outline(tree []outlineNode) int32 {
	if len(tree) == 0 {
		return 0
	}
	pos := make([]int32, w.d.pages.count()+1) // input page -> output index + 1
	for k, p := range w.spec.Pages {
		if p > 0 && pos[p] == 0 {
			pos[p] = int32(k + 1)
		}
	}
	items := keepOutline(tree, pos)
	if len(items) == 0 {
		return 0
	}
	root := w.alloc()
	first, last, count := w.putItems(items, root, pos)
	w.put(root, dict{{"Type", name("Outlines")}, {"First", outRef(first)}, {"Last", outRef(last)}, {"Count", int64(count)}})
	return root
}

// keepOutline returns the entries whose pages are in the output (pos of
// the page not 0), with their kids likewise, each level in output order.
func keepOutline(nodes []outlineNode, pos []int32) []outlineNode {
	var out []outlineNode
	for _, n := range nodes {
		kids := keepOutline(n.kids, pos)
		if n.page < len(pos) && pos[n.page] != 0 {
			n.kids = kids
			out = append(out, n)
			continue
		}
		out = append(out, kids...)
	}
	slices.SortStableFunc(out, func(a, b outlineNode) int { return cmp.Compare(pos[a.page], pos[b.page]) })
	return out
}

// putItems writes a chain of entries under parent and returns the first,
// the last, and the entries a reader shows of the chain: each, and the
// shown entries below the open ones.
func (w *writer) putItems(items []outlineNode, parent int32, pos []int32) (first, last int32, shown int) {
	nums := make([]int32, len(items))
	for i := range items {
		nums[i] = w.alloc()
	}
	for i, n := range items {
		d := dict{{"Title", n.title}, {"Parent", outRef(parent)}}
		if i > 0 {
			d = append(d, pair{"Prev", outRef(nums[i-1])})
		}
		if i+1 < len(items) {
			d = append(d, pair{"Next", outRef(nums[i+1])})
		}
		shown++
		if len(n.kids) > 0 {
			kf, kl, below := w.putItems(n.kids, nums[i], pos)
			count := int64(below)
			if n.open {
				shown += below
			} else {
				count = -count
			}
			d = append(d, pair{"First", outRef(kf)}, pair{"Last", outRef(kl)}, pair{"Count", count})
		}
		dest := append(array{outRef(w.pages[pos[n.page]-1])}, n.view...)
		if len(n.view) == 0 {
			dest = append(dest, name("Fit"))
		}
		d = append(append(d, pair{"Dest", dest}), n.extra...)
		w.put(nums[i], d)
	}
	return nums[0], nums[len(nums)-1], shown
}
