package postage

// keyed is a value with a sort key.
type keyed struct {
	key uint64
	val int32
}

// sortKeyed sorts xs by key, stably: a least-significant-digit radix sort
// in bytes, skipping the bytes in which no two keys differ. It uses
// scratch if it is large enough, and returns the scratch space it used.
func sortKeyed(xs, scratch []keyed) []keyed {
	if len(xs) < 2 {
		return scratch
	}
	var or, and uint64 = 0, ^uint64(0)
	for _, x := range xs {
		or |= x.key
		and &= x.key
	}
	varying := or ^ and
	if varying == 0 {
		return scratch
	}
	if cap(scratch) < len(xs) {
		scratch = make([]keyed, len(xs))
	}
	src, dst := xs, scratch[:len(xs)]
	var count [256]int
	for shift := uint(0); shift < 64; shift += 8 {
		if varying>>shift&0xff == 0 {
			continue
		}
		count = [256]int{}
		for _, x := range src {
			count[x.key>>shift&0xff]++
		}
		pos := 0
		for b, c := range count {
			count[b] = pos
			pos += c
		}
		for _, x := range src {
			b := x.key >> shift & 0xff
			dst[count[b]] = x
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &xs[0] {
		copy(xs, src)
	}
	return scratch
}
