package jobs

import (
	"slices"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
	"github.com/rs/zerolog"
)

// TestListJobs pages the job listing: active jobs and the newest finished
// ones by default, every job with All.
func TestListJobs(t *testing.T) {
	d, err := open(testConfig(t), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	for i := range 8 {
		st := spool.Completed
		if i == 1 || i == 6 {
			st = spool.Held
		}
		if _, err := d.store.CreateJob(spool.Job{Name: "a.pdf", State: st}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		states []spool.State
		q      api.JobQuery
		want   []int64
	}{
		{nil, api.JobQuery{Limit: 2}, []int64{2, 6, 7, 8}},
		{nil, api.JobQuery{Limit: 2, Before: 6}, []int64{2, 4, 5, 7}},
		{nil, api.JobQuery{}, []int64{1, 2, 3, 4, 5, 6, 7, 8}},
		{nil, api.JobQuery{All: true, Limit: 3}, []int64{6, 7, 8}},
		{nil, api.JobQuery{All: true, Limit: 3, Before: 6}, []int64{3, 4, 5}},
		{[]spool.State{spool.Held}, api.JobQuery{Limit: 1}, []int64{2, 7}},
		{[]spool.State{spool.Completed}, api.JobQuery{Limit: 1}, []int64{8}},
	}
	for _, tt := range tests {
		jobs, err := d.listJobs(tt.states, tt.q)
		got := []int64{}
		for _, j := range jobs {
			got = append(got, j.ID)
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("listJobs(%v, %+v) = %v, %v; want %v", tt.states, tt.q, got, err, tt.want)
		}
	}
}
