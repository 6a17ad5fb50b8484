package imb

import "sync"

// The bar map of the specification: bar k is a descender if bit barDB[k]
// of character barDC[k] is set, and an ascender if bit barAB[k] of
// character barAC[k] is set. Characters are A = 0 .. J = 9, bit 0 is the
// least significant.
var (
	barDC = [Bars]uint8{7, 1, 9, 5, 8, 0, 2, 4, 6, 3, 5, 8, 9, 7, 3, 0, 6, 1, 7, 4, 6, 8, 9, 2, 5, 1, 7, 5, 4, 3, 8, 7, 6, 0, 2, 5, 4, 9, 3, 0, 1, 6, 8, 2, 0, 4, 5, 9, 6, 7, 5, 2, 6, 3, 8, 5, 1, 9, 8, 7, 4, 0, 2, 6, 3}
	barDB = [Bars]uint8{2, 10, 12, 5, 9, 1, 5, 4, 3, 9, 11, 5, 10, 1, 6, 3, 4, 1, 10, 0, 2, 11, 8, 6, 1, 12, 3, 8, 6, 4, 4, 11, 0, 6, 1, 9, 11, 5, 3, 7, 3, 10, 7, 11, 8, 2, 10, 3, 5, 8, 0, 3, 12, 11, 8, 4, 5, 1, 3, 0, 7, 12, 9, 8, 10}
	barAC = [Bars]uint8{4, 0, 2, 6, 3, 5, 1, 9, 8, 7, 1, 2, 0, 6, 4, 8, 2, 9, 5, 3, 0, 1, 3, 7, 4, 6, 8, 9, 2, 0, 5, 1, 9, 4, 3, 8, 6, 7, 1, 2, 4, 3, 9, 5, 7, 8, 3, 0, 2, 1, 4, 0, 9, 1, 7, 0, 2, 4, 6, 3, 7, 1, 9, 5, 8}
	barAB = [Bars]uint8{3, 0, 8, 11, 1, 12, 8, 11, 10, 6, 4, 12, 2, 7, 9, 6, 7, 9, 2, 8, 4, 0, 12, 7, 10, 9, 0, 7, 10, 5, 7, 9, 6, 8, 2, 12, 1, 4, 2, 0, 1, 5, 4, 6, 12, 1, 0, 9, 4, 7, 5, 10, 2, 6, 9, 11, 2, 12, 6, 7, 5, 11, 0, 3, 2}
)

var (
	tablesOnce sync.Once
	table5     [1287]uint16 // the 13-bit characters with 5 bits set
	table2     [78]uint16   // the 13-bit characters with 2 bits set
)

// tables returns the 5-of-13 and 2-of-13 character tables, built on first
// use.
func tables() (*[1287]uint16, *[78]uint16) {
	tablesOnce.Do(func() {
		fillTable(table5[:], 5)
		fillTable(table2[:], 2)
	})
	return &table5, &table2
}

// fillTable fills t with the 13-bit values with n bits set (step 6): a
// value and its bit reversal go in pairs from the front, palindromes from
// the back.
func fillTable(t []uint16, n int) {
	lo, hi := 0, len(t)-1
	for c := uint16(0); c < 1<<13; c++ {
		if popcount13(c) != n {
			continue
		}
		r := reverse13(c)
		switch {
		case r < c:
			continue
		case r == c:
			t[hi] = c
			hi--
		default:
			t[lo], t[lo+1] = c, r
			lo += 2
		}
	}
}

// popcount13 counts the set bits of c.
func popcount13(c uint16) int {
	n := 0
	for ; c != 0; c &= c - 1 {
		n++
	}
	return n
}

// reverse13 reverses the low 13 bits of c.
func reverse13(c uint16) uint16 {
	var r uint16
	for i := 0; i < 13; i++ {
		r = r<<1 | c>>i&1
	}
	return r
}
