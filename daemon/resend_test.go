package daemon

import "testing"

func TestSeqRanges(t *testing.T) {
	tests := []struct {
		seqs []int
		want string
	}{
		{[]int{7}, "7"},
		{[]int{1, 2, 3}, "1-3"},
		{[]int{1, 2, 3, 7, 9, 10}, "1-3,7,9-10"},
	}
	for _, tt := range tests {
		if got := seqRanges(tt.seqs); got != tt.want {
			t.Errorf("seqRanges(%v) = %q, want %q", tt.seqs, got, tt.want)
		}
	}
}
