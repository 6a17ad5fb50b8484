package pdf

import (
	"errors"
	"fmt"
	"sync"
)

// maxRefHops bounds chains of objects that are references to other objects.
const maxRefHops = 8

// errMissing reports an object that the xref does not list.
var errMissing = errors.New("missing")

// loadObject parses object num. An object the xref does not list is
// errMissing (the specification reads it as null; callers decide).
func (d *Doc) loadObject(num int, streams bool) (object, error) {
	if num < 0 || num >= len(d.xref) {
		return nil, fmt.Errorf("object %d: %w", num, errMissing)
	}
	if o, ok := d.big.get(num); ok {
		return o, nil
	}
	var o object
	var size int
	var err error
	switch e := d.xref[num]; entryKind(e) {
	case inFile:
		var end int
		o, end, err = d.parseIndirect(entryOffset(e), num, streams)
		size = end - int(entryOffset(e))
	case inStream:
		stm, idx := entryStream(e)
		o, size, err = d.objstms.object(d, stm, idx, num)
	default:
		err = errMissing
	}
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	if _, isStream := o.(*stream); streams && !isStream && size >= bigObject { // with streams false, a stream's dictionary may look like a plain one
		d.big.put(num, o, size)
	}
	return o, nil
}

// Objects of bigObject bytes or more are kept once parsed, up to bigBudget
// bytes of them: an object that many others share (the resources of every
// page, the metadata of every record) must not be parsed again each time.
const (
	bigObject = 4 << 10
	bigBudget = 64 << 20
)

// bigCache keeps big parsed objects, oldest dropped first. Objects are
// shared: nothing may change a parsed object. It is safe for concurrent
// use.
type bigCache struct {
	mu    sync.Mutex
	m     map[int]object
	order []int
	sizes []int
	size  int
}

func (c *bigCache) get(num int) (object, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.m[num]
	return o, ok
}

func (c *bigCache) put(num int, o object, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[int]object{}
	}
	if _, ok := c.m[num]; ok {
		return
	}
	c.m[num], c.order, c.sizes = o, append(c.order, num), append(c.sizes, size)
	for c.size += size; c.size > bigBudget && len(c.order) > 1; {
		delete(c.m, c.order[0])
		c.size -= c.sizes[0]
		c.order, c.sizes = c.order[1:], c.sizes[1:]
	}
}

// resolve follows references: it returns the direct object o stands for.
// A reference to a missing object is null.
func (d *Doc) resolve(o object) (object, error) {
	for range maxRefHops {
		r, ok := o.(ref)
		if !ok {
			return o, nil
		}
		v, err := d.loadObject(r.num, true)
		if errors.Is(err, errMissing) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		o = v
	}
	return nil, fmt.Errorf("references lead to references more than %d times", maxRefHops)
}

// resolveDict resolves o, which must be a dictionary (or a stream, whose
// dictionary is returned) or null (nil, nil).
func (d *Doc) resolveDict(o object) (dict, error) {
	v, err := d.resolve(o)
	if err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case dict:
		return v, nil
	case *stream:
		return v.dict, nil
	}
	return nil, fmt.Errorf("%s, not a dictionary", describe(v))
}

// resolveArray resolves o, which must be an array or null (nil, nil).
func (d *Doc) resolveArray(o object) (array, error) {
	v, err := d.resolve(o)
	if err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case array:
		return v, nil
	}
	return nil, fmt.Errorf("%s, not an array", describe(v))
}

// describe names the type of an object for error messages.
func describe(o object) string {
	switch o := o.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case int64, real:
		return "a number"
	case name:
		return "the name /" + string(o)
	case str:
		return "a string"
	case array:
		return "an array"
	case dict:
		return "a dictionary"
	case ref:
		return fmt.Sprintf("a reference to object %d", o.num)
	case *stream:
		return "a stream"
	}
	return fmt.Sprintf("a %T", o)
}
