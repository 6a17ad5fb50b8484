package daemon

import (
	"testing"

	"github.com/omsd/omsd/spool"
)

// TestGeneration: a piece's generation counts the reprint jobs of its run
// and the operator's restarts that printed it again in its job.
func TestGeneration(t *testing.T) {
	j := spool.Job{Generation: 0, Outputs: []spool.Output{
		{Name: "main", Seqs: []int{1, 2, 3}},
		{Name: "reprint", Seqs: []int{2}, Reprint: true},
		{Name: "reprint2", Seqs: []int{2, 3}, Reprint: true},
	}}
	for _, c := range []struct{ out, seq, want int }{
		{0, 1, 0}, {0, 2, 0}, {1, 2, 1}, {2, 2, 2}, {2, 3, 1},
	} {
		if got := generation(j, c.out, c.seq); got != c.want {
			t.Errorf("output %d piece %d: generation %d, want %d", c.out, c.seq, got, c.want)
		}
	}
	reprintJob := spool.Job{Generation: 2, ReprintOf: 7, Outputs: []spool.Output{{Seqs: []int{5}}}}
	if got := generation(reprintJob, 0, 5); got != 2 {
		t.Errorf("a second reprint job's piece: generation %d, want 2", got)
	}
}

func TestAddressField(t *testing.T) {
	for k, want := range map[string]bool{"name": true, "Name2": true, "address3": true, "street": true, "city": true, "account": false, "zip": false} {
		if addressField(k) != want {
			t.Errorf("addressField(%q) = %v", k, !want)
		}
	}
}
