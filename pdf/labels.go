package pdf

import (
	"fmt"
	"sort"
)

// maxLabelNodes bounds the nodes of a page label number tree.
const maxLabelNodes = 1 << 20

// labelRange is one entry of the input's page labels: from page index
// start (0-based) on, pages are labelled prefix + number in style, the
// numbers counting from first.
type labelRange struct {
	start int
	label dict // /S, /P, /St as the input has them
	first int64
}

// pageLabels reads the catalog's /PageLabels number tree, sorted by page.
// A document without page labels has none; a tree that cannot be read is
// an error.
func (d *Doc) pageLabels() ([]labelRange, error) {
	root := d.catalog.get("PageLabels")
	if root == nil {
		return nil, nil
	}
	var ranges []labelRange
	seen := map[int]bool{}
	stack := []object{root}
	for n := 0; len(stack) > 0; n++ {
		if n > maxLabelNodes {
			return nil, fmt.Errorf("page labels: more than %d nodes", maxLabelNodes)
		}
		node := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if r, ok := node.(ref); ok {
			if seen[r.num] {
				return nil, fmt.Errorf("page labels: object %d appears twice", r.num)
			}
			seen[r.num] = true
		}
		kids, err := d.labelNode(node, &ranges)
		if err != nil {
			return nil, fmt.Errorf("page labels: %w", err)
		}
		stack = append(stack, kids...)
	}
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].start < ranges[j].start })
	return ranges, nil
}

// labelNode adds the /Nums of a number tree node to ranges and returns its
// /Kids.
func (d *Doc) labelNode(node object, ranges *[]labelRange) (array, error) {
	n, err := d.resolveDict(node)
	if err != nil {
		return nil, err
	}
	nums, err := d.resolveArray(n.get("Nums"))
	if err != nil {
		return nil, fmt.Errorf("/Nums: %w", err)
	}
	for i := 0; i+1 < len(nums); i += 2 {
		start, ok := nums[i].(int64)
		label, err := d.resolveDict(nums[i+1])
		if !ok || err != nil || start < 0 || start >= int64(d.pages.count()) {
			continue // a label for no page of the document
		}
		first, ok := label.get("St").(int64)
		if !ok {
			first = 1
		}
		*ranges = append(*ranges, labelRange{start: int(start), label: label, first: first})
	}
	return d.resolveArray(n.get("Kids"))
}

// outputLabels returns the /Nums array giving the pages of an output the
// labels they have in the input: a new range starts wherever an output
// page does not continue the numbering of the page before it.
func outputLabels(ranges []labelRange, pages []int) array {
	var nums array
	prevRange, prevNum := -1, int64(0)
	for k, p := range pages {
		p = max(p, -p) // a blank page takes the label of the page it is sized after
		r := sort.Search(len(ranges), func(i int) bool { return ranges[i].start > p-1 }) - 1
		var num int64
		if r >= 0 {
			num = ranges[r].first + int64(p-1-ranges[r].start)
		}
		if k > 0 && r == prevRange && num == prevNum+1 {
			prevNum = num
			continue
		}
		prevRange, prevNum = r, num
		label := dict{}
		if r >= 0 {
			for _, key := range []name{"S", "P"} {
				if v := ranges[r].label.get(key); v != nil {
					label = append(label, pair{key, v})
				}
			}
			if num != 1 {
				label = append(label, pair{"St", num})
			}
		}
		nums = append(nums, int64(k), label)
	}
	return nums
}
