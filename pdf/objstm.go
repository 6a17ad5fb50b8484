package pdf

import (
	"fmt"
	"sync"
)

// objstmBudget bounds the decoded object streams kept in memory.
const objstmBudget = 64 << 20

// objstm is a decoded object stream: its objects' numbers and where each
// one starts in data.
type objstm struct {
	data []byte
	nums []int
	offs []int
}

// objstmCache keeps decoded object streams, oldest dropped first once they
// take more than objstmBudget bytes. It is safe for concurrent use.
type objstmCache struct {
	mu    sync.Mutex
	m     map[int]*objstm
	order []int
	size  int
}

// object returns object num, at index idx of object stream stm, and the
// length of its text.
func (c *objstmCache) object(d *Doc, stm, idx, num int) (object, int, error) {
	s, err := c.get(d, stm)
	if err != nil {
		return nil, 0, fmt.Errorf("object stream %d: %w", stm, err)
	}
	if idx >= len(s.nums) || s.nums[idx] != num {
		idx = -1 // the xref's index is wrong: the stream's own header counts
		for i, n := range s.nums {
			if n == num {
				idx = i
				break
			}
		}
		if idx < 0 {
			return nil, 0, fmt.Errorf("object stream %d does not hold it", stm)
		}
	}
	l := &lexer{b: s.data, pos: s.offs[idx]}
	o, err := l.object(0)
	if err != nil {
		return nil, 0, fmt.Errorf("object stream %d: %w", stm, err)
	}
	return o, l.pos - s.offs[idx], nil
}

func (c *objstmCache) get(d *Doc, stm int) (*objstm, error) {
	c.mu.Lock()
	s, ok := c.m[stm]
	c.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := d.decodeObjstm(stm)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[int]*objstm{}
	}
	if _, ok := c.m[stm]; !ok {
		c.m[stm] = s
		c.order = append(c.order, stm)
		c.size += len(s.data)
	}
	for c.size > objstmBudget && len(c.order) > 1 {
		c.size -= len(c.m[c.order[0]].data)
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	return s, nil
}

// decodeObjstm loads, decodes and indexes object stream stm, which must be
// an object of the file itself.
func (d *Doc) decodeObjstm(stm int) (*objstm, error) {
	if stm >= len(d.xref) || entryKind(d.xref[stm]) != inFile {
		return nil, fmt.Errorf("not an object of the file")
	}
	o, err := d.parseAt(entryOffset(d.xref[stm]), stm, true)
	if err != nil {
		return nil, err
	}
	s, ok := o.(*stream)
	if !ok {
		return nil, fmt.Errorf("not a stream")
	}
	n, ok1 := s.dict.get("N").(int64)
	first, ok2 := s.dict.get("First").(int64)
	if !ok1 || !ok2 || n < 0 || first < 0 {
		return nil, fmt.Errorf("without /N and /First")
	}
	d.touched(s.pos, s.pos+int64(len(s.data)))
	data, err := decode(s)
	if err != nil {
		return nil, err
	}
	if first > int64(len(data)) {
		return nil, fmt.Errorf("/First %d beyond its %d bytes", first, len(data))
	}
	st := &objstm{data: data}
	l := &lexer{b: data[:first]}
	for i := int64(0); i < n; i++ { // n is not trusted: each pair is read
		num, ok1 := l.uint()
		off, ok2 := l.uint()
		if !ok1 || !ok2 || int64(off) > int64(len(data))-first {
			return nil, fmt.Errorf("bad header entry %d", i+1)
		}
		st.nums = append(st.nums, num)
		st.offs = append(st.offs, int(first)+off)
	}
	return st, nil
}
