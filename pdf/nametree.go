package pdf

import (
	"fmt"
)

// flattenDests reads the catalog's /Names /Dests name tree into a map from
// key (the string's bytes) to destination. Every node is read once; a node
// reached twice makes the tree damaged.
func flattenDests(d *Doc) (map[string]object, error) {
	names := map[string]object{}
	catalogNames, err := d.resolveDict(d.catalog.get("Names"))
	if err != nil {
		return nil, fmt.Errorf("%w: the catalog's /Names: %v", ErrDamaged, err)
	}
	root := catalogNames.get("Dests") // nil if either is missing
	seen := map[int]bool{}
	stack := []object{}
	if root != nil {
		stack = append(stack, root)
	}
	for len(stack) > 0 {
		node := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if r, ok := node.(ref); ok {
			if seen[r.num] {
				return nil, fmt.Errorf("%w: destination name tree: object %d appears twice", ErrDamaged, r.num)
			}
			seen[r.num] = true
		}
		kids, err := nameNode(d, node, names)
		if err != nil {
			return nil, fmt.Errorf("%w: destination name tree: %v", ErrDamaged, err)
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
	return names, nil
}

// nameNode adds the /Names pairs of a name tree node to names and returns
// its /Kids.
func nameNode(d *Doc, node object, names map[string]object) (array, error) {
	n, err := d.resolveDict(node)
	if err != nil || n == nil {
		return nil, fmt.Errorf("node is not a dictionary (%v)", err)
	}
	pairs, err := d.resolveArray(n.get("Names"))
	if err != nil {
		return nil, fmt.Errorf("/Names: %v", err)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		k, err := d.resolve(pairs[i])
		if err != nil {
			return nil, err
		}
		key, ok := k.(str)
		if !ok {
			return nil, fmt.Errorf("key %d: %s, not a string", i/2+1, describe(k))
		}
		if _, dup := names[string(key)]; !dup { // the first definition counts
			names[string(key)] = pairs[i+1]
		}
	}
	kids, err := d.resolveArray(n.get("Kids"))
	if err != nil {
		return nil, fmt.Errorf("/Kids: %v", err)
	}
	return kids, nil
}
