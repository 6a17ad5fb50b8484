package pdf

import (
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// flattenDests reads the catalog's /Names /Dests name tree into a map from
// key (the string's bytes) to destination. Every node is read once; a node
// reached twice makes the tree damaged.
func flattenDests(x *model.XRefTable) (map[string]types.Object, error) {
	names := map[string]types.Object{}
	catalogNames, err := x.DereferenceDict(x.RootDict["Names"])
	if err != nil {
		return nil, fmt.Errorf("%w: the catalog's /Names: %v", ErrDamaged, err)
	}
	root := catalogNames["Dests"] // nil if either is missing
	seen := map[int]bool{}
	stack := []types.Object{}
	if root != nil {
		stack = append(stack, root)
	}
	for len(stack) > 0 {
		node := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if ref, ok := node.(types.IndirectRef); ok {
			if seen[ref.ObjectNumber.Value()] {
				return nil, fmt.Errorf("%w: destination name tree: object %d appears twice", ErrDamaged, ref.ObjectNumber.Value())
			}
			seen[ref.ObjectNumber.Value()] = true
		}
		kids, err := nameNode(x, node, names)
		if err != nil {
			return nil, fmt.Errorf("%w: destination name tree: %v", ErrDamaged, err)
		}
		stack = append(stack, kids...)
	}
	return names, nil
}

// nameNode adds the /Names pairs of a name tree node to names and returns
// its /Kids.
func nameNode(x *model.XRefTable, node types.Object, names map[string]types.Object) (types.Array, error) {
	d, err := x.DereferenceDict(node)
	if err != nil || d == nil {
		return nil, fmt.Errorf("node is not a dictionary (%v)", err)
	}
	pairs, err := x.DereferenceArray(d["Names"])
	if err != nil {
		return nil, fmt.Errorf("/Names: %v", err)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		k, err := x.Dereference(pairs[i])
		if err != nil {
			return nil, err
		}
		key, err := stringBytes(k)
		if err != nil {
			return nil, fmt.Errorf("key %d: %v", i/2+1, err)
		}
		if _, dup := names[key]; !dup { // the first definition counts
			names[key] = pairs[i+1]
		}
	}
	kids, err := x.DereferenceArray(d["Kids"])
	if err != nil {
		return nil, fmt.Errorf("/Kids: %v", err)
	}
	return kids, nil
}

// stringBytes returns the bytes of a PDF string, as a Go string.
func stringBytes(o types.Object) (string, error) {
	switch s := o.(type) {
	case types.StringLiteral:
		b, err := types.Unescape(s.Value())
		return string(b), err
	case types.HexLiteral:
		b, err := s.Bytes()
		return string(b), err
	}
	return "", fmt.Errorf("a %T, not a string", o)
}
