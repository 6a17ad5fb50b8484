package daemon

import (
	"testing"

	"github.com/omsd/omsd/config"
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

// TestReloadKeepsTheArchive: a reload may not change the archive section.
func TestReloadKeepsTheArchive(t *testing.T) {
	on := &config.Config{Archive: &config.Archive{Dir: "archive", Backend: "dir"}}
	other := &config.Config{Archive: &config.Archive{Dir: "archive2", Backend: "dir"}}
	s3 := &config.Config{Archive: &config.Archive{Dir: "archive", Backend: "s3", S3: &config.ArchiveS3{Endpoint: "a:1"}}}
	s3b := &config.Config{Archive: &config.Archive{Dir: "archive", Backend: "s3", S3: &config.ArchiveS3{Endpoint: "b:1"}}}
	for _, c := range []struct {
		old, new *config.Config
		refused  bool
	}{
		{on, on, false}, {&config.Config{}, &config.Config{}, false},
		{on, other, true}, {&config.Config{}, on, true}, {on, &config.Config{}, true}, {s3, s3b, true},
	} {
		if got := len(restartOnly(c.old, c.new)) > 0; got != c.refused {
			t.Errorf("%s -> %s: refused %v", archiveSetting(c.old), archiveSetting(c.new), got)
		}
	}
}
