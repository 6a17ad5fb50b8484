package daemon

import (
	"context"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/archive"
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

// TestArchivedCopies: an archive reprint of a printed piece makes the
// copies its job made; a digital delivery, or a job gone from the spool,
// one.
func TestArchivedCopies(t *testing.T) {
	job := func(_ context.Context, id int64) (api.JobDetail, error) {
		if id == 7 {
			return api.JobDetail{Job: api.Job{ID: 7, Copies: 3}}, nil
		}
		return api.JobDetail{}, api.ErrNotFound
	}
	for _, c := range []struct {
		rec  archive.Record
		want int
	}{
		{archive.Record{Job: 7, Channel: "print"}, 3},
		{archive.Record{Job: 7, Channel: "email"}, 0},
		{archive.Record{Job: 8, Channel: "print"}, 0},
	} {
		if got := archivedCopies(context.Background(), c.rec, job); got != c.want {
			t.Errorf("job %d %s: copies %d, want %d", c.rec.Job, c.rec.Channel, got, c.want)
		}
	}
}
