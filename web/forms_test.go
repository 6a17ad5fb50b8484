package web

import (
	"slices"
	"testing"
)

func TestParsePieces(t *testing.T) {
	for in, want := range map[string][]int{"5": {5}, "5,7-9": {5, 7, 8, 9}, " 9 , 1-2 ,2": {1, 2, 9}, "1-10": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}} {
		got, err := parsePieces(in, 10)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("parsePieces(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "11", "3-2", "a", "1-", "-3", "1,,2", "1-99999999999"} {
		if got, err := parsePieces(bad, 10); err == nil {
			t.Errorf("parsePieces(%q) = %v; want an error", bad, got)
		}
	}
}

// FuzzParsePieces: any input gives an error or sorted, distinct pieces
// within the job, never more than it has.
func FuzzParsePieces(f *testing.F) {
	for _, s := range []string{"5,7-9", "1-1000000", "3-2", "1,1,1", "-", ",", "9223372036854775807"} {
		f.Add(s, 50)
	}
	f.Fuzz(func(t *testing.T, s string, last int) {
		if last < 0 || last > 100000 {
			return
		}
		got, err := parsePieces(s, last)
		if err != nil {
			return
		}
		if len(got) == 0 || len(got) > last || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) || got[0] < 1 || got[len(got)-1] > last {
			t.Errorf("parsePieces(%q, %d) = %v", s, last, got)
		}
	})
}
